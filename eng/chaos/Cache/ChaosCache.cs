using KafkaTyped.Cache;

namespace KafkaTyped.Chaos.Cache;

/// <summary>The replicated cache every cache instance of the chaos run shares.</summary>
[ReplicatedCache(ChaosTopics.Cache, Partitions = ChaosTopics.CachePartitions)]
public sealed partial class ChaosCache : ReplicatedCache<string, CacheEntry>;
