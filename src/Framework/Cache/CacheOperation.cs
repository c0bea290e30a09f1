namespace KafkaTyped.Cache;

/// <summary>One operation of a replicated cache as another consumer group sees it (an audit log, a search index).</summary>
/// <typeparam name="TKey">The cache key type.</typeparam>
/// <typeparam name="TValue">The cache value type.</typeparam>
/// <param name="Kind">Added, Updated or Deleted.</param>
/// <param name="Key">The cache key (the Kafka key).</param>
/// <param name="Value">The new value; null for <see cref="CacheOperationKind.Deleted"/>.</param>
public sealed record CacheOperation<TKey, TValue>(CacheOperationKind Kind, TKey Key, TValue? Value)
    where TKey : notnull
    where TValue : class;

/// <summary>
/// Handles the operations of a replicated cache in a consumer group of its own, with the engine's at-least-once
/// commits, retries and dead letters. Register with <c>AddCacheOperationsConsumer</c>. The tombstones that follow
/// deletes are not delivered (the <c>Deleted</c> operation before them is).
/// </summary>
/// <remarks>
/// For a <c>[ReplicatedCache]</c> class prefer the generated operation messages: an ordinary <c>[ConsumerGroup]</c>
/// class implementing <c>IHandle&lt;PriceCache.Added&gt;</c>, <c>IHandle&lt;PriceCache.Updated&gt;</c> and
/// <c>IHandle&lt;PriceCache.Deleted&gt;</c>, registered by the generated <c>AddKafkaTyped</c>. This interface remains for
/// cache classes written by hand.
/// </remarks>
/// <typeparam name="TKey">The cache key type.</typeparam>
/// <typeparam name="TValue">The cache value type.</typeparam>
public interface ICacheOperationHandler<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    /// <summary>Handles one operation.</summary>
    ValueTask HandleAsync(CacheOperation<TKey, TValue> operation, MessageContext context, CancellationToken cancellationToken);
}
