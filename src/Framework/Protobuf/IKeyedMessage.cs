using System.Buffers;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// Implemented by generated message records that have a <see cref="KeyAttribute"/> member: writes the Kafka record key
/// without reflection.
/// </summary>
/// <remarks>
/// Key encodings (see <see cref="KafkaKeyEncoding"/>): <see cref="string"/> as UTF-8; <see cref="int"/>/<see cref="long"/>
/// as 4/8 bytes big-endian (Kafka's IntegerSerializer/LongSerializer); <see cref="Guid"/> as its 16 RFC 4122 bytes.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface IKeyedMessage
{
    /// <summary>Writes the encoded key to <paramref name="destination"/>.</summary>
    void WriteKey(IBufferWriter<byte> destination);
}
