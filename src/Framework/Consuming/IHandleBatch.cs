namespace KafkaTyped;

/// <summary>
/// Handles messages of one type in batches for the consumer group named by the implementing class's
/// <see cref="ConsumerGroupAttribute"/>: a run of consecutive records of one partition, bounded by the group's
/// <see cref="Consuming.BatchOptions"/> (count, bytes, time).
/// </summary>
/// <typeparam name="TMessage">A <see cref="KafkaMessageAttribute"/> message type.</typeparam>
/// <remarks>
/// <para>The generated dispatcher calls this directly (no reflection). The batch's offsets are committed only after this
/// method completed (or after the records it failed on went to the dead-letter topic); batches of one partition (of one
/// key-hash lane with <see cref="Consuming.ConsumerGroupOptions.MaxConcurrencyPerPartition"/> above 1) run one after
/// another, so per-key order holds.</para>
/// <para>A failing batch is retried whole with the group's retry policy, then split or dead-lettered whole
/// (<see cref="Consuming.BatchOptions.OnFailure"/>): make the handler idempotent, since the records of a failed attempt
/// are handled again.</para>
/// </remarks>
public interface IHandleBatch<TMessage>
    where TMessage : class
{
    /// <summary>Handles one batch.</summary>
    /// <param name="batch">The messages, in offset order, with each one's <see cref="MessageContext"/>; valid during the call only.</param>
    /// <param name="cancellationToken">Signalled when the partition is revoked past its drain timeout or the host stops.</param>
    ValueTask HandleAsync(MessageBatch<TMessage> batch, CancellationToken cancellationToken);
}
