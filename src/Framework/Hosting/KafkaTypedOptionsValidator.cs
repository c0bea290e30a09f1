using Microsoft.Extensions.Options;

namespace KafkaTyped.Hosting;

/// <summary>
/// Validates <see cref="KafkaTypedOptions"/> when the host starts (<c>ValidateOnStart</c>): the bootstrap list's format
/// and every librdkafka setting under <c>KafkaTyped:Settings</c>, <c>:ProducerSettings</c> and <c>:ConsumerSettings</c>,
/// each failure naming its configuration key and what to do.
/// </summary>
internal sealed class KafkaTypedOptionsValidator : IValidateOptions<KafkaTypedOptions>
{
    private const string Section = KafkaTypedOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, KafkaTypedOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.BootstrapServers) && ClientSettingsCheck.CheckBootstrapServers(options.BootstrapServers) is { } problem)
        {
            failures.Add($"{Section}:BootstrapServers = '{options.BootstrapServers}' is not a Kafka bootstrap list: {problem}. Set it to comma-separated host:port pairs such as broker1:9092,broker2:9092, or leave it empty to run on the embedded cluster.");
        }

        if (options.Embedded.Brokers < 1)
        {
            failures.Add($"{Section}:Embedded:Brokers = {options.Embedded.Brokers}: the embedded cluster needs at least one broker.");
        }

        failures.AddRange(ClientSettingsCheck.Check(options.Settings, $"{Section}:Settings", ClientKinds.All));
        failures.AddRange(ClientSettingsCheck.Check(options.ProducerSettings, $"{Section}:ProducerSettings", ClientKinds.Producers));
        failures.AddRange(ClientSettingsCheck.Check(options.ConsumerSettings, $"{Section}:ConsumerSettings", ClientKinds.Consumers));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
