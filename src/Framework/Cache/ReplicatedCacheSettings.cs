using Confluent.Kafka;
using KafkaTyped.Protobuf;

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
    /// Registers the operation set's schema and returns its Schema Registry id, which every written record carries.
    /// </summary>
    public required Func<ProtoFile, CancellationToken, ValueTask<int>> RegisterSchemaAsync { get; init; }

    /// <summary>How long a write waits for its own record to come back through the local replica. Default 30 s.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
