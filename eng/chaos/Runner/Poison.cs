using System.Buffers.Binary;

namespace KafkaTyped.Chaos;

/// <summary>The kinds of bytes no consumer can read, which must all go to the dead-letter topic (and nothing else).</summary>
internal enum PoisonKind
{
    NullValue = 1,
    EmptyValue = 2,
    WrongMagicByte = 3,
    TruncatedHeader = 4,
    UnknownMessageIndex = 5,
    InvalidProtobuf = 6,

    /// <summary>A schema id the registry does not know: looked up first (waiting out a registry outage), then a 404 dead-letters it.</summary>
    UnknownSchemaId = 7,
}

internal static class Poison
{
    public const int KindCount = 7;

    /// <summary>The value bytes of a poison record; <paramref name="schemaId"/> is the topic's real schema id.</summary>
    public static byte[]? Value(PoisonKind kind, int schemaId)
    {
        byte[] Header(int id, params byte[] path)
        {
            var header = new byte[5 + path.Length];
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), id);
            path.CopyTo(header, 5);
            return header;
        }

        return kind switch
        {
            PoisonKind.NullValue => null,
            PoisonKind.EmptyValue => [],
            PoisonKind.WrongMagicByte => [1, 0, 0, 0, 1, 0, 8, 1],
            PoisonKind.TruncatedHeader => [0, 0, 0],
            // Message indexes: one entry (zig-zag 2 = 1), index 7 (zig-zag 14): the set has one message, index 0.
            PoisonKind.UnknownMessageIndex => [.. Header(schemaId, 2, 14), 8, 1],
            // A field header announcing a length-delimited field far longer than the record.
            PoisonKind.InvalidProtobuf => [.. Header(schemaId, 0), 0x0A, 0xFF, 0xFF, 0x03, 0x01],
            PoisonKind.UnknownSchemaId => [.. Header(999_999 + schemaId, 0), 8, 1],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }
}
