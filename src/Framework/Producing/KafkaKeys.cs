using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Producing;

/// <summary>
/// Encodes <see cref="KeyAttribute"/> values as Kafka keys, the way Kafka's Java serializers do, so that producers in
/// other languages put equal keys on the same partition. Shorthands for <see cref="KafkaKeyEncoding"/>, the one
/// implementation (generated producers call it directly).
/// </summary>
public static class KafkaKeys
{
    /// <summary>A string as UTF-8 (Java's StringSerializer); null stays null.</summary>
    public static byte[]? Utf8(string? value) => KafkaKeyEncoding.Encode(value);

    /// <summary>4 bytes big-endian (Java's IntegerSerializer).</summary>
    public static byte[] Int32(int value) => KafkaKeyEncoding.Encode(value);

    /// <summary>8 bytes big-endian (Java's LongSerializer).</summary>
    public static byte[] Int64(long value) => KafkaKeyEncoding.Encode(value);

    /// <summary>The 16 RFC 4122 (big-endian) bytes of a GUID: the order of <c>java.util.UUID</c>'s most then least significant long.</summary>
    public static byte[] Guid(Guid value) => KafkaKeyEncoding.Encode(value);
}
