namespace KafkaTyped.Hosting;

/// <summary>
/// KafkaTyped's settings, bound from the <c>KafkaTyped</c> configuration section.
/// </summary>
/// <example>
/// <code>
/// "KafkaTyped": {
///   "BootstrapServers": "broker1:9092,broker2:9092",
///   "Settings": { "security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN" },
///   "CreateTopics": true,
///   "Consumers": { "billing": { "MaxConcurrencyPerPartition": 4, "Retry": { "MaxAttempts": 5 } } },
///   "Caches": { "prices": { "Readers": 2 } }
/// }
/// </code>
/// The <c>Consumers</c> and <c>Caches</c> sections are bound to named options of their own
/// (<see cref="Consuming.ConsumerGroupOptions"/> per group, <see cref="Cache.ReplicatedCacheOptions"/> per cache topic).
/// <code>
/// </code>
/// </example>
public sealed class KafkaTypedOptions
{
    /// <summary>The configuration section name: <c>KafkaTyped</c>.</summary>
    public const string SectionName = "KafkaTyped";

    /// <summary>
    /// The Kafka bootstrap servers. Empty (the default) runs the application on an embedded cluster started for it.
    /// </summary>
    public string? BootstrapServers { get; set; }

    /// <summary>librdkafka settings passed through to every producer, consumer and admin client (for example security settings).</summary>
    public Dictionary<string, string> Settings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Settings for the embedded cluster used when <see cref="BootstrapServers"/> is empty.</summary>
    public EmbeddedClusterOptions Embedded { get; set; } = new();

    /// <summary>
    /// Create missing topics (and their dead-letter topics) with the admin client on a real cluster, with the declared
    /// partition counts. Default false: on a real cluster topics are usually provisioned by their owners. The embedded
    /// cluster always creates them.
    /// </summary>
    public bool CreateTopics { get; set; }

    /// <summary>librdkafka settings for producers only, applied over <see cref="Settings"/> (for example <c>linger.ms</c>).</summary>
    public Dictionary<string, string> ProducerSettings { get; set; } = new(StringComparer.Ordinal);

    /// <summary>librdkafka settings for consumers only, on top of <see cref="Settings"/> (for example <c>fetch.wait.max.ms</c>).</summary>
    public Dictionary<string, string> ConsumerSettings { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Settings for the embedded cluster.</summary>
public sealed class EmbeddedClusterOptions
{
    /// <summary>Broker count. Default 3.</summary>
    public int Brokers { get; set; } = 3;
}
