using KafkaTyped;
using KafkaTyped.Cache;

namespace RealtimeCache;

/// <summary>
/// Product prices, replicated to every instance through the compacted <c>prices</c> topic. The generator adds the
/// constructor, <c>TopicName</c>/<c>PartitionCount</c>, the operation messages <c>PriceCache.Added</c>,
/// <c>PriceCache.Updated</c> and <c>PriceCache.Deleted</c> (which another service can handle with an ordinary
/// <c>[ConsumerGroup]</c> handler) and the registration in <c>AddKafkaTyped</c>.
/// </summary>
[ReplicatedCache("prices", Partitions = 12)]
public sealed partial class PriceCache : ReplicatedCache<string, Price>;
