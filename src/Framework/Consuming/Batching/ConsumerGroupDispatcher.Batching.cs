using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Consuming;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The batch half of a dispatcher: the generator overrides these members for a group with
/// <see cref="IHandleBatch{TMessage}"/> handlers. Each batch-handled member type gets a slot; the engine asks
/// <see cref="BatchSlotOf"/> per record, gathers runs of one slot and calls <see cref="DispatchBatchAsync"/>:
/// <code>
/// protected override int BatchSlotOf(int topicIndex, int messageIndex)
/// {
///     switch (topicIndex)
///     {
///         case 0:
///             switch (messageIndex) { case OrderEventsSet.OrderPlacedIndex: return 0; }
///             break;
///     }
///     return -1;
/// }
///
/// public override ValueTask DispatchBatchAsync(int slot, ReadOnlyMemory&lt;ConsumeResult&lt;byte[], byte[]&gt;&gt; records, int attempt, IServiceProvider services, CancellationToken cancellationToken)
/// {
///     switch (slot)
///     {
///         case 0: return ((IHandleBatch&lt;OrderPlaced&gt;)services.GetRequiredService&lt;Billing&gt;()).HandleAsync(ReadBatch(OrderPlaced.Parser, records, attempt), cancellationToken);
///     }
///     return UnknownBatchSlot(slot);
/// }
/// </code>
/// A record of a batch-handled type that reaches <see cref="DispatchAsync"/> (the single-record path: its schema id was
/// being fetched, or it is retried alone) is handled as a batch of one (<see cref="BatchOfOne"/>).
/// </summary>
public abstract partial class ConsumerGroupDispatcher
{
    /// <summary>The number of member types handled in batches; 0 (the default) when the group has no batch handler.</summary>
    public virtual int BatchHandlerCount => 0;

    /// <summary>Handles a run of records that <see cref="BatchSlotOf"/> gave the same <paramref name="slot"/>.</summary>
    /// <param name="slot">The batch slot.</param>
    /// <param name="records">Consecutive records of one partition (one lane), in offset order.</param>
    /// <param name="attempt">The attempt number of this batch (1 for the first).</param>
    /// <param name="services">The batch's DI scope (or the root provider when scopes are off).</param>
    /// <param name="cancellationToken">Cancelled when the partition is revoked past its drain timeout or the host stops.</param>
    public virtual ValueTask DispatchBatchAsync(int slot, ReadOnlyMemory<ConsumeResult<byte[], byte[]>> records, int attempt, IServiceProvider services, CancellationToken cancellationToken) =>
        UnknownBatchSlot(slot);

    /// <summary>The batch slot of a member, or -1 when its records are dispatched one by one (<see cref="DispatchAsync"/>).</summary>
    /// <param name="topicIndex">The index of the record's topic in <see cref="Topics"/>.</param>
    /// <param name="messageIndex">The member's index in its set.</param>
    protected virtual int BatchSlotOf(int topicIndex, int messageIndex) => -1;

    /// <summary>Reads and parses every record of a batch, each with its context.</summary>
    /// <exception cref="MessageDeserializationException">A record cannot be read; the engine dead-letters it alone.</exception>
    protected MessageBatch<T> ReadBatch<T>(MessageParser<T> parser, ReadOnlyMemory<ConsumeResult<byte[], byte[]>> records, int attempt)
        where T : class, IMessage<T>
    {
        var span = records.Span;
        var messages = new T[span.Length];
        var contexts = new MessageContext[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            var record = span[i];
            messages[i] = Parse(parser, ReadPayload(record, out _, out _), record);
            contexts[i] = ContextOf(record, attempt);
        }

        return new MessageBatch<T>(messages, contexts);
    }

    /// <summary>A batch of one record, for a batch-handled record that went through <see cref="DispatchAsync"/>.</summary>
    protected static MessageBatch<T> BatchOfOne<T>(T message, MessageContext context)
        where T : class => new([message], [context]);

    /// <summary>The result for a slot this dispatcher does not have (an engine bug, never a record's fault).</summary>
    protected ValueTask UnknownBatchSlot(int slot) =>
        throw new InvalidOperationException($"Consumer group '{GroupId}' has no batch handler in slot {slot}; rebuild the application so the generated dispatcher matches KafkaTyped.");

    /// <summary>The record's batch slot, or -1 when it goes through the single-record path (including unreadable records).</summary>
    internal int SlotOfRecord(ConsumeResult<byte[], byte[]> record)
    {
        try
        {
            ReadPayload(record, out var topicIndex, out var messageIndex);
            return BatchSlotOf(topicIndex, messageIndex);
        }
        catch (MessageDeserializationException)
        {
            // The single-record path dead-letters it at once, with the reason.
            return -1;
        }
    }

    private MessageContext ContextOf(ConsumeResult<byte[], byte[]> record, int attempt)
    {
        var message = record.Message;
        return new MessageContext(record.Topic, record.Partition.Value, record.Offset.Value, message.Key, message.Headers, message.Timestamp.UtcDateTime, attempt, GroupId);
    }
}
