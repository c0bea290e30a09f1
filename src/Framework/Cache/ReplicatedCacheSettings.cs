using KafkaTyped.Cache;
namespace KafkaTyped.GeneratedCode;

/// <summary>What a <see cref="ReplicatedCache{TKey, TValue}"/> is and what it runs on.</summary>
/// <remarks>
/// <c>AddKafkaTyped</c> (through <c>AddReplicatedCache</c>) builds these for each <c>[ReplicatedCache]</c> class from
/// <c>KafkaTyped:Caches:{topic}</c>. To build a cache by hand, pass a service provider on which
/// <c>AddKafkaTypedCore</c> registered KafkaTyped's services: the cache writes through the application's producer
/// connection and codec and reads with its consumer settings, like generated producers and consumer groups.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ReplicatedCacheSettings
{
    /// <summary>The cache's topic (compacted on real clusters).</summary>
    public required string Topic { get; init; }

    /// <summary>The cache's name, used for its operation schema's package; defaults to the topic.</summary>
    public string? Name { get; init; }

    /// <summary>The application's services (from <c>AddKafkaTypedCore</c>): cluster, producer connection, codec, logging.</summary>
    public required IServiceProvider Services { get; init; }

    /// <summary>Partitions the cache's topic is declared with (used when KafkaTyped creates the topic). Default 12.</summary>
    public int Partitions { get; init; } = 12;

    /// <summary>
    /// How many consumers (each with its own poll thread and broker connections) read the topic's partitions, split among
    /// them round-robin. Null (the default) is one per two processors (a reader's poll thread and the lanes applying beside
    /// it keep two busy), at least 1, at most 4 and at most one per partition. Every partition is applied by a lane of its
    /// own, so several readers shorten bootstrap only where fetch round trips set the pace.
    /// </summary>
    public int? Readers { get; init; }

    /// <summary>How long a write waits for its own record to come back through the local replica. Default 30 s.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
