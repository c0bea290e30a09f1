using Confluent.Kafka;

namespace KafkaTyped.Producing;

/// <summary>
/// The Kafka transaction a handler of a transactional consumer group runs in. While it is set (on the group's lanes),
/// generated producers and dead letters send through its producer, so what a handler produces is committed atomically
/// with the offsets of the records that caused it (exactly-once consume–transform–produce).
/// </summary>
/// <remarks>Flows with the handler's async calls (an <see cref="AsyncLocal{T}"/>); reading it allocates nothing.</remarks>
internal sealed class KafkaTransaction(IProducer<byte[], byte[]> producer)
{
    private static readonly AsyncLocal<KafkaTransaction?> Ambient = new();

    /// <summary>The transaction of the current handler, or null outside transactional groups.</summary>
    public static KafkaTransaction? Current => Ambient.Value;

    /// <summary>The transactional producer (one per group member, shared by its lanes).</summary>
    public IProducer<byte[], byte[]> Producer { get; } = producer;

    /// <summary>Makes <paramref name="transaction"/> the ambient one for the calling async flow (a lane).</summary>
    public static void Enter(KafkaTransaction? transaction) => Ambient.Value = transaction;
}
