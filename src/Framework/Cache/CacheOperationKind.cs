namespace KafkaTyped.Cache;

/// <summary>The operations of a replicated cache; each is a member of the cache's message set, in this index order.</summary>
public enum CacheOperationKind
{
    /// <summary>A key was added (it was absent in the writer's replica).</summary>
    Added = 0,

    /// <summary>A present key got a new value.</summary>
    Updated = 1,

    /// <summary>A key was deleted. Followed by a tombstone so that compaction can drop the key.</summary>
    Deleted = 2,
}
