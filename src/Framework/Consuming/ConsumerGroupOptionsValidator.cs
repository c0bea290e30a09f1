using Microsoft.Extensions.Options;

namespace KafkaTyped.Consuming;

/// <summary>
/// Validates a group's options when its consumer starts: the ranges declared on the options (checked by the code the
/// options validator source generator writes for <see cref="ConsumerGroupOptionsRanges"/>) and the group's own
/// librdkafka settings; each failure names its key under <c>KafkaTyped:Consumers:{group}</c>.
/// </summary>
internal sealed class ConsumerGroupOptionsValidator : IValidateOptions<ConsumerGroupOptions>
{
    private readonly ConsumerGroupOptionsRanges ranges = new();

    public ValidateOptionsResult Validate(string? name, ConsumerGroupOptions options)
    {
        var section = ConsumerGroupOptionsSetup.SectionOf(string.IsNullOrEmpty(name) ? "{group}" : name);
        var failures = new List<string>();
        var declared = ranges.Validate(name, options);
        if (declared.Failed)
        {
            foreach (var failure in declared.Failures ?? [])
            {
                failures.Add($"{section}: {failure}");
            }
        }

        if (options.Retry.InitialDelay > options.Retry.MaxDelay)
        {
            failures.Add($"{section}:Retry:InitialDelay ({options.Retry.InitialDelay}) is longer than {section}:Retry:MaxDelay ({options.Retry.MaxDelay}); make MaxDelay at least InitialDelay.");
        }

        if (options.DeadLetter.Enabled && string.IsNullOrWhiteSpace(options.DeadLetter.TopicSuffix))
        {
            failures.Add($"{section}:DeadLetter:TopicSuffix is empty: dead letters would go back to the topic they came from. Set a suffix such as .dlq.");
        }

        if (options.GroupProtocol == ConsumerGroupProtocol.Consumer)
        {
            foreach (var classicOnly in new[] { "session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy" })
            {
                if (options.Settings.ContainsKey(classicOnly))
                {
                    failures.Add($"{section}:Settings:{classicOnly} cannot be set with GroupProtocol = Consumer (KIP-848): the broker owns it there (group.consumer.* broker settings). Remove it, or use GroupProtocol = Classic.");
                }
            }
        }

        failures.AddRange(Hosting.ClientSettingsCheck.Check(options.Settings, $"{section}:Settings", Hosting.ClientKinds.Consumers));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The declared ranges of <see cref="ConsumerGroupOptions"/>, checked by generated code (no reflection).</summary>
[OptionsValidator]
internal sealed partial class ConsumerGroupOptionsRanges : IValidateOptions<ConsumerGroupOptions>;
