namespace KafkaTyped.Cache;

/// <summary>A change applied to a replica: from this instance's writes or another instance's.</summary>
/// <typeparam name="TKey">The cache key type.</typeparam>
/// <typeparam name="TValue">The cache value type.</typeparam>
/// <param name="Kind">What happened.</param>
/// <param name="Key">The key.</param>
/// <param name="Value">The new value; null for <see cref="CacheOperationKind.Deleted"/>.</param>
/// <param name="Partition">The partition of the record.</param>
/// <param name="Offset">The offset of the record.</param>
public readonly record struct CacheChange<TKey, TValue>(CacheOperationKind Kind, TKey Key, TValue? Value, int Partition, long Offset)
    where TKey : notnull
    where TValue : class;
