namespace KafkaTyped;

/// <summary>
/// Marks the message property whose value becomes the Kafka record key. A message without one is produced with a null key.
/// </summary>
/// <remarks>
/// Key encodings: <see cref="string"/> as UTF-8; <see cref="int"/>/<see cref="long"/> as 4/8 bytes big-endian (as Kafka's
/// IntegerSerializer/LongSerializer); <see cref="Guid"/> as its 16 RFC 4122 bytes. Equal keys land on the same partition.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
public sealed class KeyAttribute : Attribute
{
}
