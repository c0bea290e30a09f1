namespace KafkaTyped;

/// <summary>
/// Handles messages of one type for the consumer group named by the implementing class's <see cref="ConsumerGroupAttribute"/>.
/// </summary>
/// <typeparam name="TMessage">A <see cref="KafkaMessageAttribute"/> message type.</typeparam>
/// <remarks>
/// The generated dispatch loop calls this directly (no reflection). The offset of a message is committed only after
/// this method completed, or after the message went to the dead-letter topic once retries were exhausted.
/// </remarks>
public interface IHandle<in TMessage>
    where TMessage : class
{
    /// <summary>Handles one message.</summary>
    /// <param name="message">The deserialized message.</param>
    /// <param name="context">Where the message came from: topic, partition, offset, key, headers, timestamp, attempt.</param>
    /// <param name="cancellationToken">Signalled when the partition is revoked past its drain timeout or the host stops.</param>
    ValueTask HandleAsync(TMessage message, MessageContext context, CancellationToken cancellationToken);
}
