using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KafkaTyped.Protobuf;

/// <summary>The documented encodings of <see cref="KeyAttribute"/> values; generated <see cref="IKeyedMessage"/> code calls these.</summary>
public static class KafkaKeyEncoding
{
    /// <summary>Writes a string key as UTF-8 (a null string writes nothing).</summary>
    public static void Write(IBufferWriter<byte> destination, string? value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        int written = Encoding.UTF8.GetBytes(value, destination.GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length)));
        destination.Advance(written);
    }

    /// <summary>Writes an int key as 4 bytes big-endian.</summary>
    public static void Write(IBufferWriter<byte> destination, int value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        BinaryPrimitives.WriteInt32BigEndian(destination.GetSpan(4), value);
        destination.Advance(4);
    }

    /// <summary>Writes a long key as 8 bytes big-endian.</summary>
    public static void Write(IBufferWriter<byte> destination, long value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        BinaryPrimitives.WriteInt64BigEndian(destination.GetSpan(8), value);
        destination.Advance(8);
    }

    /// <summary>Writes a Guid key as its 16 RFC 4122 (big-endian) bytes.</summary>
    public static void Write(IBufferWriter<byte> destination, Guid value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        value.TryWriteBytes(destination.GetSpan(16), bigEndian: true, out _);
        destination.Advance(16);
    }
}
