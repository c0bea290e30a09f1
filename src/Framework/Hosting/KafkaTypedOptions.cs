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

    /// <summary>
    /// Producer options per topic name (<c>KafkaTyped:Topics:{topic}</c>): acknowledgements, partitioner and idempotence,
    /// over what the topic's <see cref="TopicAttribute"/> declares. Checked at start-up.
    /// </summary>
    public Dictionary<string, TopicProducerOptions> Topics { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// How one topic is produced (<c>KafkaTyped:Topics:{topic}</c>); each value set here wins over the topic's
/// <see cref="TopicAttribute"/>, which wins over the application's producer settings.
/// </summary>
/// <remarks>
/// Values are text so that a mistake is reported at start-up with its key and the accepted values, rather than as a
/// binding exception.
/// </remarks>
public sealed class TopicProducerOptions
{
    /// <summary><c>none</c> (or <c>0</c>), <c>leader</c> (or <c>1</c>) or <c>all</c> (or <c>-1</c>); see <see cref="TopicAcks"/>.</summary>
    public string? Acks { get; set; }

    /// <summary><c>murmur2</c> (or <c>murmur2_random</c>), <c>consistent_random</c> or <c>random</c>; see <see cref="TopicPartitioner"/>.</summary>
    public string? Partitioner { get; set; }

    /// <summary><c>true</c> or <c>false</c>; not set: idempotent exactly when acks is all. True needs acks all.</summary>
    public string? EnableIdempotence { get; set; }
}

/// <summary>Settings for the embedded cluster.</summary>
public sealed class EmbeddedClusterOptions
{
    /// <summary>Broker count. Default 3.</summary>
    public int Brokers { get; set; } = 3;
}
