using System.Buffers.Binary;
using Google.Protobuf;

namespace KafkaTyped.Cache;

/// <summary>
/// The record value of a cache operation in the Confluent Protobuf wire format: magic byte 0, the operation set's
/// schema id (big-endian), the message index of the operation (Added [0] = <c>00</c>, Updated [1] = <c>02 02</c>,
/// Deleted [2] = <c>02 04</c>), then the operation's Protobuf payload.
/// </summary>
internal static class CacheRecordFormat
{
    public static byte[] Encode<TValue>(int schemaId, CacheOperationKind kind, TValue? value)
        where TValue : class, IMessage<TValue>, new()
    {
        var headerLength = kind == CacheOperationKind.Added ? 6 : 7;
        var payloadSize = CacheOperationCodec<TValue>.PayloadSize(value, out var valueSize);
        var buffer = new byte[headerLength + payloadSize];
        buffer[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(1), schemaId);
        if (kind == CacheOperationKind.Added)
        {
            buffer[5] = 0;
        }
        else
        {
            buffer[5] = 2; // one index, zig-zag encoded
            buffer[6] = (byte)((int)kind << 1);
        }

        CacheOperationCodec<TValue>.WritePayload(value, valueSize, buffer.AsSpan(headerLength));
        return buffer;
    }

    /// <exception cref="FormatException">The bytes are not a framed cache operation.</exception>
    /// <exception cref="InvalidProtocolBufferException">The payload is not a valid operation message.</exception>
    public static CacheOperationKind Decode<TValue>(ReadOnlySpan<byte> bytes, out TValue? value)
        where TValue : class, IMessage<TValue>, new()
    {
        if (bytes.Length < 6 || bytes[0] != 0)
        {
            throw new FormatException("The cache record is not in the Confluent wire format (magic byte 0, schema id, message index).");
        }

        int index;
        int headerLength;
        if (bytes[5] == 0)
        {
            index = 0;
            headerLength = 6;
        }
        else if (bytes[5] == 2 && bytes.Length >= 7 && bytes[6] < 0x80)
        {
            index = bytes[6] >> 1;
            headerLength = 7;
        }
        else
        {
            throw new FormatException("The cache record's message index is not one of Added, Updated, Deleted.");
        }

        var kind = index switch
        {
            0 => CacheOperationKind.Added,
            1 => CacheOperationKind.Updated,
            2 => CacheOperationKind.Deleted,
            _ => throw new FormatException($"The cache record's message index {index} is not one of Added, Updated, Deleted."),
        };

        value = kind == CacheOperationKind.Deleted ? null : CacheOperationCodec<TValue>.DecodeValue(bytes[headerLength..]);
        return kind;
    }
}
