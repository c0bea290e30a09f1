using System.Buffers.Binary;
using System.Text;

namespace KafkaTyped.Producing;

/// <summary>
/// Encodes <see cref="KeyAttribute"/> values as Kafka keys, the way Kafka's Java serializers do, so that producers in
/// other languages put equal keys on the same partition.
/// </summary>
public static class KafkaKeys
{
    /// <summary>A string as UTF-8 (Java's StringSerializer); null stays null.</summary>
    public static byte[]? Utf8(string? value) => value is null ? null : Encoding.UTF8.GetBytes(value);

    /// <summary>4 bytes big-endian (Java's IntegerSerializer).</summary>
    public static byte[] Int32(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>8 bytes big-endian (Java's LongSerializer).</summary>
    public static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>The 16 RFC 4122 (big-endian) bytes of a GUID: the order of <c>java.util.UUID</c>'s most then least significant long.</summary>
    public static byte[] Guid(Guid value)
    {
        var bytes = new byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }
}
