using Confluent.Kafka;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;

namespace KafkaTyped.Cache;

/// <summary>How a <see cref="ReplicatedCache{TKey, TValue}"/> connects and behaves.</summary>
public sealed class ReplicatedCacheSettings
{
    /// <summary>The cache's topic (compacted on real clusters).</summary>
    public required string Topic { get; init; }

    /// <summary>The cache's name, used for its operation schema's package; defaults to the topic.</summary>
    public string? Name { get; init; }

    /// <summary>Producer settings (bootstrap servers, security); idempotence and acks=all are forced.</summary>
    public required ProducerConfig Producer { get; init; }

    /// <summary>Consumer settings (bootstrap servers, security). No group is joined and nothing is committed.</summary>
    public required ConsumerConfig Consumer { get; init; }

    /// <summary>
    /// The Schema Registry the operation set's schema is registered in (or looked up, per <see cref="SchemaRegistration"/>).
    /// Set this or <see cref="ResolveSchemaRegistryAsync"/>.
    /// </summary>
    public ISchemaRegistry? SchemaRegistry { get; init; }

    /// <summary>Resolves the Schema Registry at start, for registries that start asynchronously (the embedded one).</summary>
    public Func<CancellationToken, ValueTask<ISchemaRegistry>>? ResolveSchemaRegistryAsync { get; init; }

    /// <summary>How the operation set's schema is registered; null for the defaults (auto-register under the topic strategy).</summary>
    public SchemaRegistrationOptions? SchemaRegistration { get; init; }

    /// <summary>Partitions the cache's topic is declared with (used when KafkaTyped creates the topic). Default 12.</summary>
    public int Partitions { get; init; } = 12;

    /// <summary>
    /// How many consumers (each with its own thread and broker connections) read the topic's partitions, split among
    /// them round-robin. Null (the default) is one per processor, at most 4 and at most one per partition. Several
    /// readers fetch and apply in parallel, which shortens bootstrap when fetch round trips or decoding, not the
    /// network, set the pace; one reader keeps a single thread and one connection per broker.
    /// </summary>
    public int? Readers { get; init; }

    /// <summary>How long a write waits for its own record to come back through the local replica. Default 30 s.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
