using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Producing;

/// <summary>
/// The key encodings of <see cref="GeneratedCode.KafkaKeyEncoding"/> (Kafka's Java serializers: UTF-8, 4 or 8 bytes
/// big-endian, the 16 RFC 4122 bytes of a GUID) as client serializers that write into per-thread send buffers
/// (<see cref="ValueBufferCache.RentForSend"/>), so a typed send allocates no key array.
/// </summary>
/// <remarks>Only for <see cref="MessageSender{TKey, TMessage}"/>, which returns the buffers after each send.</remarks>
internal static class KeySerializers
{
    /// <summary>The serializer of <typeparamref name="TKey"/>: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="System.Guid"/> or <see cref="Null"/> (no key).</summary>
    /// <exception cref="NotSupportedException">Another key type.</exception>
    public static ISerializer<TKey> For<TKey>()
    {
        object serializer = typeof(TKey) switch
        {
            var t when t == typeof(string) => new Utf8(),
            var t when t == typeof(int) => new Int32(),
            var t when t == typeof(long) => new Int64(),
            var t when t == typeof(Guid) => new GuidKey(),
            var t when t == typeof(Null) => new NoKey(),
            _ => throw new NotSupportedException(
                $"A typed producer cannot encode keys of type {typeof(TKey)}: [Key] properties are string, int, long or Guid, and members without [Key] use Confluent.Kafka.Null."),
        };
        return (ISerializer<TKey>)serializer;
    }

    private static byte[] Rent(int length) => ValueBufferCache.RentForSend(length, forKey: true);

    private sealed class Utf8 : ISerializer<string>
    {
        public byte[] Serialize(string data, SerializationContext context)
        {
            if (data is null)
            {
                return null!; // a null Kafka key, as Java's StringSerializer writes for null
            }

            var bytes = Rent(Encoding.UTF8.GetByteCount(data));
            Encoding.UTF8.GetBytes(data, bytes);
            return bytes;
        }
    }

    private sealed class Int32 : ISerializer<int>
    {
        public byte[] Serialize(int data, SerializationContext context)
        {
            var bytes = Rent(sizeof(int));
            BinaryPrimitives.WriteInt32BigEndian(bytes, data);
            return bytes;
        }
    }

    private sealed class Int64 : ISerializer<long>
    {
        public byte[] Serialize(long data, SerializationContext context)
        {
            var bytes = Rent(sizeof(long));
            BinaryPrimitives.WriteInt64BigEndian(bytes, data);
            return bytes;
        }
    }

    private sealed class GuidKey : ISerializer<Guid>
    {
        public byte[] Serialize(Guid data, SerializationContext context)
        {
            var bytes = Rent(16);
            data.TryWriteBytes(bytes, bigEndian: true, out _);
            return bytes;
        }
    }

    private sealed class NoKey : ISerializer<Null>
    {
        public byte[] Serialize(Null data, SerializationContext context) => null!;
    }
}
