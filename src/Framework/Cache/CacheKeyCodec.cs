using System.Buffers.Binary;
using System.Text;

namespace KafkaTyped.Cache;

/// <summary>
/// Encodes cache keys as Kafka record keys, with the same encodings as <see cref="KeyAttribute"/>: string as UTF-8,
/// int and long as 4 and 8 bytes big-endian (Kafka's IntegerSerializer and LongSerializer), Guid as its 16 RFC 4122
/// bytes. Equal keys give equal bytes, so a key's records share one partition and stay in order.
/// </summary>
/// <remarks>The type tests are on a generic parameter: the JIT folds them per instantiation, so nothing reflects at run time.</remarks>
public static class CacheKeyCodec<TKey>
    where TKey : notnull
{
    /// <summary>True when <typeparamref name="TKey"/> has a defined key encoding.</summary>
    public static bool IsSupported =>
        typeof(TKey) == typeof(string) || typeof(TKey) == typeof(int) || typeof(TKey) == typeof(long) || typeof(TKey) == typeof(Guid);

    /// <summary>Encodes a key.</summary>
    public static byte[] Encode(TKey key)
    {
        if (typeof(TKey) == typeof(string))
        {
            return Encoding.UTF8.GetBytes((string)(object)key);
        }

        if (typeof(TKey) == typeof(int))
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(bytes, (int)(object)key);
            return bytes;
        }

        if (typeof(TKey) == typeof(long))
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, (long)(object)key);
            return bytes;
        }

        if (typeof(TKey) == typeof(Guid))
        {
            var bytes = new byte[16];
            ((Guid)(object)key).TryWriteBytes(bytes, bigEndian: true, out _);
            return bytes;
        }

        throw Unsupported();
    }

    /// <summary>Decodes a key.</summary>
    /// <exception cref="FormatException">The bytes have the wrong length for the key type.</exception>
    public static TKey Decode(ReadOnlySpan<byte> bytes)
    {
        if (typeof(TKey) == typeof(string))
        {
            return (TKey)(object)Encoding.UTF8.GetString(bytes);
        }

        if (typeof(TKey) == typeof(int))
        {
            return bytes.Length == 4 ? (TKey)(object)BinaryPrimitives.ReadInt32BigEndian(bytes) : throw WrongLength(4, bytes.Length);
        }

        if (typeof(TKey) == typeof(long))
        {
            return bytes.Length == 8 ? (TKey)(object)BinaryPrimitives.ReadInt64BigEndian(bytes) : throw WrongLength(8, bytes.Length);
        }

        if (typeof(TKey) == typeof(Guid))
        {
            return bytes.Length == 16 ? (TKey)(object)new Guid(bytes, bigEndian: true) : throw WrongLength(16, bytes.Length);
        }

        throw Unsupported();
    }

    private static FormatException WrongLength(int expected, int actual) =>
        new($"A {typeof(TKey).Name} cache key is {expected} bytes; the record key has {actual}.");

    private static NotSupportedException Unsupported() =>
        new($"Cache keys of type {typeof(TKey)} have no defined encoding; use string, int, long or Guid.");
}
