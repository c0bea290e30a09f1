using KafkaTyped.GeneratedCode;
using KafkaTyped.Producing;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Hosting;

/// <summary>
/// Checks every topic's producer options when the host starts (<c>ValidateOnStart</c> of <see cref="KafkaTypedOptions"/>):
/// the values under <c>KafkaTyped:Topics:{topic}</c> and the declared ones of <c>[Topic]</c> attributes, and that no
/// topic asks for idempotence without <c>acks=all</c>. Each failure names its key (or attribute) and the fix.
/// </summary>
internal sealed class TopicProducerOptionsValidator(IEnumerable<TopicDeclaration> declarations) : IValidateOptions<KafkaTypedOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaTypedOptions options)
    {
        var failures = new List<string>();
        var profiles = new TopicProducerProfiles(options, declarations);
        foreach (var topic in profiles.Topics)
        {
            profiles.Resolve(topic, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
