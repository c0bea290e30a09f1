using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Cache;

/// <summary>
/// Encodes cache keys as Kafka record keys, with the same encodings as <see cref="KeyAttribute"/>: string as UTF-8,
/// int and long as 4 and 8 bytes big-endian (Kafka's IntegerSerializer and LongSerializer), Guid as its 16 RFC 4122
/// bytes. Equal keys give equal bytes, so a key's records share one partition and stay in order.
/// </summary>
/// <remarks>The type tests are on a generic parameter: the JIT folds them per instantiation, so nothing reflects at run time.</remarks>
internal static class CacheKeyCodec<TKey>
    where TKey : notnull
{
    /// <summary>True when <typeparamref name="TKey"/> has a defined key encoding.</summary>
    public static bool IsSupported =>
        typeof(TKey) == typeof(string) || typeof(TKey) == typeof(int) || typeof(TKey) == typeof(long) || typeof(TKey) == typeof(Guid);

    /// <summary>Encodes a key (through <see cref="KafkaKeyEncoding"/>, the one implementation of the key encodings).</summary>
    public static byte[] Encode(TKey key)
    {
        if (typeof(TKey) == typeof(string))
        {
            return KafkaKeyEncoding.Encode((string)(object)key)!;
        }

        if (typeof(TKey) == typeof(int))
        {
            return KafkaKeyEncoding.Encode((int)(object)key);
        }

        if (typeof(TKey) == typeof(long))
        {
            return KafkaKeyEncoding.Encode((long)(object)key);
        }

        if (typeof(TKey) == typeof(Guid))
        {
            return KafkaKeyEncoding.Encode((Guid)(object)key);
        }

        throw Unsupported();
    }

    /// <summary>Decodes a key.</summary>
    /// <exception cref="FormatException">The bytes have the wrong length for the key type.</exception>
    public static TKey Decode(ReadOnlySpan<byte> bytes)
    {
        if (typeof(TKey) == typeof(string))
        {
            return (TKey)(object)KafkaKeyEncoding.DecodeString(bytes);
        }

        if (typeof(TKey) == typeof(int))
        {
            return KafkaKeyEncoding.TryDecodeInt32(bytes, out var value) ? (TKey)(object)value : throw WrongLength(4, bytes.Length);
        }

        if (typeof(TKey) == typeof(long))
        {
            return KafkaKeyEncoding.TryDecodeInt64(bytes, out var value) ? (TKey)(object)value : throw WrongLength(8, bytes.Length);
        }

        if (typeof(TKey) == typeof(Guid))
        {
            return KafkaKeyEncoding.TryDecodeGuid(bytes, out var value) ? (TKey)(object)value : throw WrongLength(16, bytes.Length);
        }

        throw Unsupported();
    }

    private static FormatException WrongLength(int expected, int actual) =>
        new($"A {typeof(TKey).Name} cache key is {expected} bytes; the record key has {actual}.");

    private static NotSupportedException Unsupported() =>
        new($"Cache keys of type {typeof(TKey)} have no defined encoding; use string, int, long or Guid.");
}
