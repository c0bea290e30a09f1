using System.Buffers.Binary;
using System.Text;

namespace KafkaTyped.Producing;

/// <summary>
/// A Kafka key not yet encoded, so that a typed producer can write it into a reused array instead of allocating one
/// per message. The encodings are those of <see cref="Protobuf.KafkaKeyEncoding"/> (Kafka's Java serializers): UTF-8,
/// 4 or 8 bytes big-endian, or the 16 RFC 4122 bytes of a GUID.
/// </summary>
public readonly struct ProducerKey
{
    private readonly string? text;
    private readonly long number;
    private readonly Guid guid;
    private readonly Kind kind;

    private ProducerKey(Kind kind, string? text = null, long number = 0, Guid guid = default)
    {
        this.kind = kind;
        this.text = text;
        this.number = number;
        this.guid = guid;
    }

    private enum Kind : byte
    {
        None,
        Utf8,
        Int32,
        Int64,
        Guid,
    }

    /// <summary>No key (a null Kafka key).</summary>
    public static ProducerKey None => default;

    /// <summary>True when this is a null Kafka key.</summary>
    public bool IsNone => kind == Kind.None;

    /// <summary>A string key as UTF-8; null is no key.</summary>
    public static ProducerKey Utf8(string? value) => value is null ? default : new(Kind.Utf8, text: value);

    /// <summary>An int key as 4 bytes big-endian.</summary>
    public static ProducerKey Int32(int value) => new(Kind.Int32, number: value);

    /// <summary>A long key as 8 bytes big-endian.</summary>
    public static ProducerKey Int64(long value) => new(Kind.Int64, number: value);

    /// <summary>A Guid key as its 16 RFC 4122 (big-endian) bytes.</summary>
    public static ProducerKey Guid(Guid value) => new(Kind.Guid, guid: value);

    /// <summary>The encoded key in a new array (null for no key), exactly what <see cref="Protobuf.KafkaKeyEncoding"/> returns.</summary>
    public byte[]? ToArray()
    {
        if (kind == Kind.None)
        {
            return null;
        }

        var length = EncodedLength;
        var bytes = length == 0 ? [] : new byte[length];
        Write(bytes);
        return bytes;
    }

    /// <summary>The number of bytes the encoded key takes.</summary>
    internal int EncodedLength => kind switch
    {
        Kind.Utf8 => Encoding.UTF8.GetByteCount(text!),
        Kind.Int32 => 4,
        Kind.Int64 => 8,
        Kind.Guid => 16,
        _ => 0,
    };

    /// <summary>Writes the encoded key into exactly <see cref="EncodedLength"/> bytes.</summary>
    internal void Write(Span<byte> destination)
    {
        switch (kind)
        {
            case Kind.Utf8:
                Encoding.UTF8.GetBytes(text, destination);
                break;
            case Kind.Int32:
                BinaryPrimitives.WriteInt32BigEndian(destination, (int)number);
                break;
            case Kind.Int64:
                BinaryPrimitives.WriteInt64BigEndian(destination, number);
                break;
            case Kind.Guid:
                guid.TryWriteBytes(destination, bigEndian: true, out _);
                break;
        }
    }
}
