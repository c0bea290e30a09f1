using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The one implementation of the documented <see cref="KeyAttribute"/> encodings, as Kafka's Java serializers write them
/// (so other languages' producers put equal keys on the same partition): string as UTF-8 (StringSerializer), int and long
/// as 4 and 8 bytes big-endian (IntegerSerializer, LongSerializer), Guid as its 16 RFC 4122 bytes (java.util.UUID's
/// most then least significant long). Generated producers and <see cref="IKeyedMessage"/> code, <c>KafkaKeys</c> and the
/// replicated cache's key codec all call these.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class KafkaKeyEncoding
{
    /// <summary>A string key as UTF-8; null stays null.</summary>
    internal static byte[]? Encode(string? value) => value is null ? null : Encoding.UTF8.GetBytes(value);

    /// <summary>An int key as 4 bytes big-endian.</summary>
    internal static byte[] Encode(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>A long key as 8 bytes big-endian.</summary>
    internal static byte[] Encode(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }

    /// <summary>A Guid key as its 16 RFC 4122 (big-endian) bytes.</summary>
    internal static byte[] Encode(Guid value)
    {
        var bytes = new byte[16];
        value.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes;
    }

    /// <summary>Reads a string key.</summary>
    internal static string DecodeString(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>Reads an int key; false when the key is not 4 bytes.</summary>
    internal static bool TryDecodeInt32(ReadOnlySpan<byte> bytes, out int value)
    {
        value = bytes.Length == 4 ? BinaryPrimitives.ReadInt32BigEndian(bytes) : 0;
        return bytes.Length == 4;
    }

    /// <summary>Reads a long key; false when the key is not 8 bytes.</summary>
    internal static bool TryDecodeInt64(ReadOnlySpan<byte> bytes, out long value)
    {
        value = bytes.Length == 8 ? BinaryPrimitives.ReadInt64BigEndian(bytes) : 0;
        return bytes.Length == 8;
    }

    /// <summary>Reads a Guid key; false when the key is not 16 bytes.</summary>
    internal static bool TryDecodeGuid(ReadOnlySpan<byte> bytes, out Guid value)
    {
        value = bytes.Length == 16 ? new Guid(bytes, bigEndian: true) : Guid.Empty;
        return bytes.Length == 16;
    }

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
