using KafkaTyped.Cache;

namespace RealtimeCache;

/// <summary>Product prices, replicated to every instance through the <c>prices</c> topic.</summary>
public sealed class PriceCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, Price>(settings)
{
    public const string TopicName = "prices";
    public const int PartitionCount = 12;
}
