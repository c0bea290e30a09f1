using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace KafkaTyped.Framing;

/// <summary>
/// Confluent's Protobuf framing: magic byte <c>0</c>, the schema id as a big-endian int32, the message-index array
/// (a zig-zag varint count then zig-zag varint indexes; the path <c>[0]</c> as the single byte <c>00</c>), then the
/// Protobuf payload with no length prefix. See PROTOCOLS.md §1.
/// </summary>
/// <remarks>Stateless and thread-safe; nothing here allocates except on the error and deep-path branches.</remarks>
internal static class ConfluentWireFormat
{
    /// <summary>The only magic byte KafkaTyped writes and accepts.</summary>
    public const byte MagicByte = 0;

    /// <summary>The shortest valid frame: magic, id, <c>00</c>, empty payload.</summary>
    public const int MinimumLength = 6;

    /// <summary>The deepest message nesting accepted when reading; deeper paths are treated as corrupt data.</summary>
    public const int MaxPathDepth = 32;

    /// <summary>The header length for a path: 5 bytes plus the index array.</summary>
    public static int GetHeaderLength(in MessageIndexPath path)
    {
        if (path.IsTopLevel && path.TopLevelIndex == 0)
        {
            return 6;
        }

        var length = 5 + Varint.Length(Varint.ZigZag(path.Depth));
        for (var level = 0; level < path.Depth; level++)
        {
            length += Varint.Length(Varint.ZigZag(path[level]));
        }

        return length;
    }

    /// <summary>Writes the header into <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetHeaderLength"/>.</exception>
    public static int WriteHeader(Span<byte> destination, int schemaId, in MessageIndexPath path)
    {
        var length = GetHeaderLength(path);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The destination needs {length} bytes for the frame header.", nameof(destination));
        }

        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination.Slice(1), schemaId);
        if (length == 6)
        {
            destination[5] = 0;
            return 6;
        }

        var position = 5;
        position += Varint.Write(Varint.ZigZag(path.Depth), destination.Slice(position));
        for (var level = 0; level < path.Depth; level++)
        {
            position += Varint.Write(Varint.ZigZag(path[level]), destination.Slice(position));
        }

        return position;
    }

    /// <summary>Writes the header into a buffer writer (no allocation; the writer supplies the memory).</summary>
    public static void WriteHeader(IBufferWriter<byte> writer, int schemaId, in MessageIndexPath path)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (path.IsTopLevel && path.TopLevelIndex == 0)
        {
            // The common frame: magic, id, 00.
            var header = writer.GetSpan(6);
            header[0] = MagicByte;
            BinaryPrimitives.WriteInt32BigEndian(header.Slice(1), schemaId);
            header[5] = 0;
            writer.Advance(6);
            return;
        }

        var length = GetHeaderLength(path);
        var span = writer.GetSpan(length);
        WriteHeader(span, schemaId, path);
        writer.Advance(length);
    }

    /// <summary>Reads a frame header.</summary>
    /// <param name="value">The record value (or key).</param>
    /// <param name="topic">The topic, for the exception message; optional.</param>
    /// <param name="partition">The partition, for the exception message; optional.</param>
    /// <param name="offset">The offset, for the exception message; optional.</param>
    /// <exception cref="MessageFormatException">The bytes are not a valid frame.</exception>
    public static WireHeader ReadHeader(ReadOnlySpan<byte> value, string? topic = null, int? partition = null, long? offset = null)
    {
        var error = TryReadHeader(value, out var header);
        if (error != WireError.None)
        {
            throw CreateException(error, value, topic, partition, offset);
        }

        return header;
    }

    /// <summary>Reads a frame header without throwing.</summary>
    /// <returns><see cref="WireError.None"/> on success, otherwise what is wrong.</returns>
    public static WireError TryReadHeader(ReadOnlySpan<byte> value, out WireHeader header)
    {
        header = default;
        if (value.Length < MinimumLength)
        {
            return value.Length == 0 ? WireError.Empty : WireError.TooShort;
        }

        if (value[0] != MagicByte)
        {
            return WireError.UnknownMagicByte;
        }

        var schemaId = BinaryPrimitives.ReadInt32BigEndian(value.Slice(1));
        var position = 5;

        // Fast path: the single byte 00 is the path [0], by far the most common frame.
        if (value[5] == 0)
        {
            header = new WireHeader(schemaId, default, 6);
            return WireError.None;
        }

        if (!TryReadZigZag(value, ref position, out var count))
        {
            return WireError.BadVarint;
        }

        if (count < 0 || count > MaxPathDepth)
        {
            return WireError.BadIndexCount;
        }

        if (count == 0)
        {
            header = new WireHeader(schemaId, default, position);
            return WireError.None;
        }

        if (!TryReadZigZag(value, ref position, out var first))
        {
            return WireError.BadVarint;
        }

        if (first < 0)
        {
            return WireError.NegativeIndex;
        }

        int[]? rest = null;
        if (count > 1)
        {
            // Each remaining index needs at least one byte; check before allocating so junk cannot make us allocate.
            if (value.Length - position < count - 1)
            {
                return WireError.TooShort;
            }

            rest = new int[count - 1];
            for (var i = 0; i < rest.Length; i++)
            {
                if (!TryReadZigZag(value, ref position, out var index))
                {
                    return WireError.BadVarint;
                }

                if (index < 0)
                {
                    return WireError.NegativeIndex;
                }

                rest[i] = index;
            }
        }

        header = new WireHeader(schemaId, MessageIndexPath.FromParts(first, rest), position);
        return WireError.None;
    }

    /// <summary>Builds the exception for a failed <see cref="TryReadHeader"/>.</summary>
    public static MessageFormatException CreateException(WireError error, ReadOnlySpan<byte> value, string? topic = null, int? partition = null, long? offset = null)
    {
        var message = error switch
        {
            WireError.Empty => "The value is empty (null or tombstone where a Confluent Protobuf frame was expected).",
            WireError.TooShort => $"The value is {value.Length.ToString(CultureInfo.InvariantCulture)} bytes, too short for a Confluent Protobuf frame (magic byte, 4-byte schema id, message indexes); it was not written by a Schema-Registry-aware Protobuf serializer.",
            WireError.UnknownMagicByte => $"Unknown magic byte 0x{value[0]:X2}: expected 0x00 (Confluent Schema Registry framing). The record was written without Schema Registry framing or by a newer format this client does not read.",
            WireError.BadVarint => "The message-index array holds a malformed or truncated varint.",
            WireError.BadIndexCount => $"The message-index array declares an invalid count (more than {MaxPathDepth.ToString(CultureInfo.InvariantCulture)} levels or negative).",
            WireError.NegativeIndex => "The message-index array holds a negative index.",
            _ => "The value is not a valid Confluent Protobuf frame.",
        };
        int? schemaId = value.Length >= 5 && value[0] == MagicByte ? BinaryPrimitives.ReadInt32BigEndian(value.Slice(1)) : null;
        return new MessageFormatException(message, topic, partition, offset) { SchemaId = schemaId };
    }

    private static bool TryReadZigZag(ReadOnlySpan<byte> value, ref int position, out int result)
    {
        var read = Varint.TryRead32(value, ref position, out var raw);
        result = read ? Varint.UnZigZag(raw) : 0;
        return read;
    }
}

/// <summary>What is wrong with a frame, as reported by <see cref="ConfluentWireFormat.TryReadHeader"/>.</summary>
internal enum WireError
{
    /// <summary>The frame is valid.</summary>
    None = 0,

    /// <summary>The value is empty.</summary>
    Empty,

    /// <summary>The value ends before the header does.</summary>
    TooShort,

    /// <summary>The first byte is not <c>0x00</c>.</summary>
    UnknownMagicByte,

    /// <summary>A varint is malformed or runs past the end.</summary>
    BadVarint,

    /// <summary>The index count is negative or implausibly large.</summary>
    BadIndexCount,

    /// <summary>An index is negative.</summary>
    NegativeIndex,
}
