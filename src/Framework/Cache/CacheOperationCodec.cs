using Google.Protobuf;
using KafkaTyped.Framing;

namespace KafkaTyped.Cache;

/// <summary>
/// Encodes the payload of the cache's operation messages. Each operation is a Protobuf message of the cache's set:
/// <c>Added { V value = 1; }</c>, <c>Updated { V value = 1; }</c>, <c>Deleted { }</c> (the key is the Kafka key).
/// The payload of Added and Updated is therefore field 1, length-delimited, holding the value's own bytes.
/// </summary>
/// <typeparam name="TValue">The cache's value message.</typeparam>
internal static class CacheOperationCodec<TValue>
    where TValue : class, IMessage<TValue>, new()
{
    private const byte ValueTag = (1 << 3) | 2; // field 1, wire type LEN

    private static readonly MessageParser<TValue> Parser = new(static () => new TValue());

    /// <summary>The payload size of an operation carrying <paramref name="value"/> (0 for Deleted).</summary>
    public static int PayloadSize(TValue? value, out int valueSize)
    {
        if (value is null)
        {
            valueSize = 0;
            return 0;
        }

        valueSize = value.CalculateSize();
        return 1 + CodedOutputStream.ComputeLengthSize(valueSize) + valueSize;
    }

    /// <summary>Writes the operation payload for <paramref name="value"/> into exactly <see cref="PayloadSize"/> bytes.</summary>
    public static void WritePayload(TValue? value, int valueSize, Span<byte> destination)
    {
        if (value is null)
        {
            return;
        }

        destination[0] = ValueTag;
        var position = 1 + Varint.Write((uint)valueSize, destination[1..]);
        value.WriteTo(destination.Slice(position, valueSize));
    }

    /// <summary>Reads the value out of an Added or Updated payload; unknown fields are skipped.</summary>
    /// <exception cref="FormatException">The payload is not a valid operation message.</exception>
    public static TValue DecodeValue(ReadOnlySpan<byte> payload)
    {
        TValue? value = null;
        var position = 0;
        while (position < payload.Length)
        {
            var tag = ReadVarint(payload, ref position);
            var wireType = (int)(tag & 7);
            if (tag == ValueTag)
            {
                var length = checked((int)ReadVarint(payload, ref position));
                EnsureAvailable(payload, position, length);
                value = Parser.ParseFrom(payload.Slice(position, length));
                position += length;
                continue;
            }

            switch (wireType)
            {
                case 0:
                    ReadVarint(payload, ref position);
                    break;
                case 1:
                    EnsureAvailable(payload, position, 8);
                    position += 8;
                    break;
                case 2:
                    var length = checked((int)ReadVarint(payload, ref position));
                    EnsureAvailable(payload, position, length);
                    position += length;
                    break;
                case 5:
                    EnsureAvailable(payload, position, 4);
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Cache operation payload has an unsupported wire type {wireType}.");
            }
        }

        // proto3: an absent message field reads as the default message.
        return value ?? new TValue();
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> source, ref int position) =>
        Varint.TryRead64(source, ref position, out var value) ? value : throw new FormatException("Cache operation payload has a malformed or truncated varint.");

    private static void EnsureAvailable(ReadOnlySpan<byte> source, int position, int count)
    {
        if (count < 0 || position + count > source.Length)
        {
            throw new FormatException("Cache operation payload is truncated.");
        }
    }
}
