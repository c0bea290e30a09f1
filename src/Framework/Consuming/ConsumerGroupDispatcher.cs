using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Hosting;
using KafkaTyped.Framing;
using KafkaTyped.Consuming;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The dispatch of one consumer group: which topics it reads and how a record reaches its handler. The generator emits
/// one sealed subclass per <see cref="ConsumerGroupAttribute"/> class; the runtime engine (polling, lanes, commits,
/// retries, dead letters, tracing) drives it.
/// </summary>
/// <remarks>
/// <para>A generated <see cref="DispatchAsync"/> is a <c>switch</c> over the topic index and the message index that
/// parses the payload with the member's <see cref="MessageParser{T}"/> and calls <see cref="IHandle{TMessage}"/>
/// directly:</para>
/// <code>
/// public override ValueTask DispatchAsync(ConsumeResult&lt;byte[], byte[]&gt; record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
/// {
///     var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
///     switch (topicIndex)
///     {
///         case 0:
///             switch (messageIndex)
///             {
///                 case OrderEventsSet.OrderPlacedIndex: return ((IHandle&lt;OrderPlaced&gt;)services.GetRequiredService&lt;Billing&gt;()).HandleAsync(Parse(OrderPlaced.Parser, payload, record), context, cancellationToken);
///                 case OrderEventsSet.OrderCancelledIndex: return ((IHandle&lt;OrderCancelled&gt;)services.GetRequiredService&lt;Billing&gt;()).HandleAsync(Parse(OrderCancelled.Parser, payload, record), context, cancellationToken);
///             }
///             break;
///     }
///     return Unhandled(record, topicIndex, messageIndex);
/// }
/// </code>
/// <para>Singleton; <see cref="DispatchAsync"/> is called concurrently for different partitions and lanes.</para>
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public abstract partial class ConsumerGroupDispatcher
{
    private readonly IPayloadCodec codec;

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="codec">Reads the framing in front of each payload.</param>
    protected ConsumerGroupDispatcher(IPayloadCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        this.codec = codec;
    }

    /// <summary>The Kafka consumer group id.</summary>
    public abstract string GroupId { get; }

    /// <summary>The message sets (topics) the group's handlers read, in the order <see cref="ReadPayload"/> numbers them.</summary>
    public abstract IReadOnlyList<MessageSetDefinition> Topics { get; }

    /// <summary>
    /// Deserializes <paramref name="record"/> and calls its handler. Throws <see cref="MessageDeserializationException"/>
    /// for a value that cannot be read (the engine dead-letters it at once); any other exception goes through the retry
    /// policy. Returns a completed task for member types the group has no handler for.
    /// </summary>
    /// <param name="record">The consumed record.</param>
    /// <param name="context">The record's context, passed on to the handler.</param>
    /// <param name="services">The message's DI scope (or the root provider when scopes are off).</param>
    /// <param name="cancellationToken">Cancelled when the partition is revoked past its drain timeout or the host stops.</param>
    public abstract ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>
    /// Lets the codec fetch, without blocking, what reading <paramref name="record"/>'s framing needs (a schema id not
    /// seen yet); completes at once otherwise. Problems with the record itself are left to <see cref="ReadPayload"/>.
    /// </summary>
    internal ValueTask PrepareToReadAsync(ConsumeResult<byte[], byte[]> record, CancellationToken cancellationToken)
    {
        if (record.Message.Value is not { } value)
        {
            return default;
        }

        var topicIndex = IndexOfTopic(record.Topic);
        return topicIndex < 0 ? default : codec.PrepareToReadAsync(Topics[topicIndex], value, cancellationToken);
    }

    /// <summary>The index of <paramref name="topic"/> in <see cref="Topics"/>, or -1 (a linear scan: groups read few topics).</summary>
    private int IndexOfTopic(string topic)
    {
        var topics = Topics;
        for (var i = 0; i < topics.Count; i++)
        {
            if (string.Equals(topics[i].Topic, topic, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Finds the record's set and reads its framing.</summary>
    /// <param name="record">The consumed record.</param>
    /// <param name="topicIndex">Index of the record's topic in <see cref="Topics"/>.</param>
    /// <param name="messageIndex">The member's index in the set.</param>
    /// <returns>The Protobuf payload.</returns>
    /// <exception cref="MessageDeserializationException">The value is null or not framed as expected.</exception>
    protected ReadOnlySpan<byte> ReadPayload(ConsumeResult<byte[], byte[]> record, out int topicIndex, out int messageIndex)
    {
        ArgumentNullException.ThrowIfNull(record);
        var topics = Topics;
        var topic = record.Topic;
        topicIndex = IndexOfTopic(topic);
        if (topicIndex < 0)
        {
            throw new MessageDeserializationException(record, $"group '{GroupId}' does not read topic '{topic}'");
        }

        var value = record.Message.Value;
        if (value is null)
        {
            throw new MessageDeserializationException(record, "the value is null (a tombstone); message topics carry no tombstones");
        }

        if (!codec.TryReadHeader(topics[topicIndex], value, out messageIndex, out var headerLength, out var error))
        {
            throw new MessageDeserializationException(record, error ?? "the value header is invalid");
        }

        return value.AsSpan(headerLength);
    }

    /// <summary>Parses a payload, turning a Protobuf error into <see cref="MessageDeserializationException"/>.</summary>
    protected internal static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload, ConsumeResult<byte[], byte[]> record)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new MessageDeserializationException(record, $"the payload is not a valid {typeof(T).Name}: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The result for a member the group has no handler for: completed (the record is committed and skipped), or a
    /// <see cref="MessageDeserializationException"/> when <paramref name="messageIndex"/> is outside the set (written with
    /// a newer schema than this build knows).
    /// </summary>
    protected ValueTask Unhandled(ConsumeResult<byte[], byte[]> record, int topicIndex, int messageIndex)
    {
        ArgumentNullException.ThrowIfNull(record);
        var topics = Topics;
        if ((uint)topicIndex < (uint)topics.Count && (uint)messageIndex >= (uint)topics[topicIndex].MessageNames.Count)
        {
            throw new MessageDeserializationException(record, $"message index {messageIndex} is not a member of {topics[topicIndex]}; was it produced with a newer schema? Rebuild the consumer with the current message set");
        }

        return default;
    }
}
