using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;

namespace KafkaTyped.Framing;

/// <summary>
/// An <see cref="IPayloadCodec"/> without a registry, for benchmarks and tests only (never the default; the default is
/// <see cref="SchemaRegistryPayloadCodec"/>): Confluent's framing (magic byte 0, a 4-byte big-endian schema id, the
/// message-index array) with schema id 0, which no registry assigns. Register it explicitly to measure framing cost
/// without a registry.
/// </summary>
/// <remarks>
/// The layout is Confluent's, so a registry-backed codec reads these values' message indexes the same way; the schema id
/// is not checked on read. Message indexes are zigzag varints: a count, then the indexes; the common <c>[0]</c> is the
/// single byte 0.
/// </remarks>
internal sealed class ConfluentFramingWithoutRegistry : IPayloadCodec
{
    private const int PrefixLength = 5;

    /// <inheritdoc />
    public ValueTask PrepareAsync(MessageSetDefinition set, CancellationToken cancellationToken = default) => default;

    /// <inheritdoc />
    public int GetHeaderLength(MessageSetDefinition set, int messageIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageIndex);
        return messageIndex == 0 ? PrefixLength + 1 : PrefixLength + 1 + Varint.Length(Varint.ZigZag(messageIndex));
    }

    /// <inheritdoc />
    public void WriteHeader(MessageSetDefinition set, int messageIndex, Span<byte> destination)
    {
        destination[..PrefixLength].Clear();
        if (messageIndex == 0)
        {
            destination[PrefixLength] = 0;
            return;
        }

        destination[PrefixLength] = 2; // zigzag(1): one index follows
        Varint.Write(Varint.ZigZag(messageIndex), destination[(PrefixLength + 1)..]);
    }

    /// <inheritdoc />
    public bool TryReadHeader(MessageSetDefinition set, ReadOnlySpan<byte> value, out int messageIndex, out int headerLength, out string? error)
    {
        messageIndex = -1;
        headerLength = 0;
        if (value.Length < PrefixLength + 1)
        {
            error = $"the value has {value.Length} bytes, fewer than the {PrefixLength + 1} of a Confluent header";
            return false;
        }

        if (value[0] != 0)
        {
            error = $"the value starts with byte 0x{value[0]:x2}, not the Confluent magic byte 0x00 (was it produced without KafkaTyped or a Confluent serializer?)";
            return false;
        }

        var position = PrefixLength;
        if (!Varint.TryRead32(value, ref position, out var rawCount))
        {
            error = "the message-index count is not a valid varint";
            return false;
        }

        var count = Varint.UnZigZag(rawCount);
        if (count == 0)
        {
            messageIndex = 0;
        }
        else if (count == 1 && Varint.TryRead32(value, ref position, out var index) && Varint.UnZigZag(index) >= 0)
        {
            messageIndex = Varint.UnZigZag(index);
        }
        else
        {
            error = $"the message-index array (count {count}) does not name a top-level message of {set.Topic}";
            return false;
        }

        headerLength = position;
        error = null;
        return true;
    }
}
