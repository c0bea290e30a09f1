using Microsoft.Extensions.Logging;

namespace KafkaTyped.Testing;

/// <summary>Options of a <see cref="KafkaTestHost"/>.</summary>
public sealed class KafkaTestHostOptions
{
    /// <summary>
    /// How long a wait of the host (<see cref="KafkaTestHost.WaitUntilHandledAsync(string, Confluent.Kafka.TopicPartitionOffset, TimeSpan?, CancellationToken)"/>
    /// and the others) lasts before it fails with a <see cref="TimeoutException"/> that says what was seen. A guard
    /// against a test that would hang, not a performance target: generous by default (60 seconds).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The Kafka cluster to join (<c>KafkaTyped:BootstrapServers</c>). Null (default): the application starts an embedded
    /// cluster and Schema Registry of its own, as it does with no cluster configured, and stops them with the host.
    /// Give another host's <see cref="KafkaTestHost.BootstrapServers"/> to run two applications on one cluster.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Brokers of the embedded cluster (<c>KafkaTyped:Embedded:Brokers</c>). Default 1: the quickest start.</summary>
    public int Brokers { get; set; } = 1;

    /// <summary>Further configuration of the application, as key/value pairs (for example <c>KafkaTyped:Consumers:billing:Retry:MaxAttempts</c>).</summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The host's environment name. Default <c>Testing</c>.</summary>
    public string EnvironmentName { get; set; } = "Testing";

    /// <summary>
    /// Log entries at this level or above are kept (<see cref="KafkaTestHost.Logs"/>) and quoted in timeout messages.
    /// Default <see cref="LogLevel.Warning"/>.
    /// </summary>
    public LogLevel CapturedLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>
    /// Wait, after the host started, until every consumer group joined and every replicated cache caught up (default
    /// true), so that a test starts against a ready application.
    /// </summary>
    public bool WaitUntilReady { get; set; } = true;
}
