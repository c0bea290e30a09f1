using Google.Protobuf;

namespace KafkaTyped.Framing;

/// <summary>
/// Protobuf base-128 varints and zig-zag on spans: the one implementation behind the Confluent message indexes and the
/// cache operation payloads. Sizes come from Google.Protobuf; reading and writing are ours because Google.Protobuf
/// keeps its span primitives internal and its public streams would allocate per record on the hot path.
/// </summary>
internal static class Varint
{
    /// <summary>The bytes <paramref name="value"/> takes as a varint.</summary>
    public static int Length(uint value) => CodedOutputStream.ComputeRawVarint32Size(value);

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(uint value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Reads a varint of up to 32 bits at <paramref name="position"/>; false when it is truncated or longer.</summary>
    public static bool TryRead32(ReadOnlySpan<byte> source, ref int position, out uint value)
    {
        // A 32-bit varint is a 64-bit one of at most five bytes whose fifth carries only the top 4 bits.
        var start = position;
        var read = TryRead64(source, ref position, out var wide) && position - start <= 5 && wide <= uint.MaxValue;
        value = read ? (uint)wide : 0;
        return read;
    }

    /// <summary>Reads a varint of up to 64 bits at <paramref name="position"/>; false when it is truncated or longer.</summary>
    public static bool TryRead64(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (position >= source.Length)
            {
                return false;
            }

            var b = source[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Zig-zag encoding (<c>sint32</c>): small negative numbers stay short.</summary>
    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    /// <summary>The inverse of <see cref="ZigZag"/>.</summary>
    public static int UnZigZag(uint value) => (int)(value >> 1) ^ -(int)(value & 1);
}
