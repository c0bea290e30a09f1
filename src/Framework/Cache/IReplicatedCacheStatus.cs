namespace KafkaTyped.Cache;

/// <summary>What health checks need to know of a replicated cache, whatever its key and value types.</summary>
public interface IReplicatedCacheStatus
{
    /// <summary>The cache's topic.</summary>
    string Topic { get; }

    /// <summary>True once the replica caught up with the end offsets captured at start.</summary>
    bool IsReady { get; }

    /// <summary>The number of entries in the local replica.</summary>
    int Count { get; }
}
