using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Consuming;

/// <summary>
/// Binds the named <see cref="ConsumerGroupOptions"/> of each group from <c>KafkaTyped:Consumers:{group}</c>: the
/// options of group <c>billing</c> are <c>IOptionsMonitor&lt;ConsumerGroupOptions&gt;.Get("billing")</c>.
/// </summary>
internal sealed class ConsumerGroupOptionsSetup(IConfiguration configuration) : IConfigureNamedOptions<ConsumerGroupOptions>
{
    /// <summary>The configuration section of a group's options.</summary>
    public static string SectionOf(string group) => $"{Hosting.KafkaTypedOptions.SectionName}:Consumers:{group}";

    public void Configure(string? name, ConsumerGroupOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            configuration.GetSection(SectionOf(name)).Bind(options);
        }
    }

    public void Configure(ConsumerGroupOptions options) => Configure(Options.DefaultName, options);
}
