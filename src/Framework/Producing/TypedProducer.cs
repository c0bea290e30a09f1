using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Diagnostics;
using Microsoft.Extensions.Logging;
using KafkaTyped.Producing;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The core of a typed producer for one message set. The generator emits one sealed subclass per <c>[Topic]</c>
/// interface, with one <see cref="MessageSender{TKey, TMessage}"/> per member type (key type from the member's
/// <c>[Key]</c> property, <see cref="Null"/> without one) and a <c>ProduceAsync</c> and a <c>Produce</c> method per
/// member that forward to it:
/// <code>
/// private readonly MessageSender&lt;string, OrderPlaced&gt; orderPlaced = CreateSender&lt;string, OrderPlaced&gt;(OrderEventsSet.OrderPlacedIndex);
///
/// public ValueTask&lt;DeliveryResult&lt;string, OrderPlaced&gt;&gt; ProduceAsync(OrderPlaced message, Headers? headers = null, Timestamp timestamp = default, CancellationToken cancellationToken = default)
///     =&gt; orderPlaced.ProduceAsync(message?.OrderId!, message!, headers, timestamp, cancellationToken);
/// public void Produce(OrderPlaced message, Action&lt;DeliveryReport&lt;string, OrderPlaced&gt;&gt;? deliveryHandler = null, Headers? headers = null, Timestamp timestamp = default)
///     =&gt; orderPlaced.Produce(message?.OrderId!, message!, deliveryHandler, headers, timestamp);
/// </code>
/// </summary>
/// <remarks>
/// <para>Values are the codec's header followed by the Protobuf payload; keys use the encodings of
/// <see cref="GeneratedCode.KafkaKeyEncoding"/>. Both are written into reused per-thread arrays that librdkafka copies, and
/// delivery reports carry the typed key and message, so a send allocates only what the client itself does.</para>
/// <para>Every send starts a <c>send {topic}</c> span when someone listens and writes the W3C <c>traceparent</c> of
/// that span (or of the ambient activity) into the headers.</para>
/// <para><c>kafkatyped.producer.failed</c> counts the failures KafkaTyped observes: fire-and-forget sends without a
/// delivery handler and traced async sends; an untraced <c>ProduceAsync</c> reports failures only by throwing, so that
/// it allocates nothing beyond the client's task.</para>
/// <para>Thread-safe: call from any thread. All typed producers share the application's one
/// <see cref="KafkaProducerConnection"/>.</para>
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public abstract class TypedProducer
{
    private readonly MessageSetDefinition set;
    private readonly ILogger logger;
    private volatile bool prepared;

    /// <summary>Creates the producer and, on the embedded cluster, the set's topic.</summary>
    protected TypedProducer(ProducerServices services, MessageSetDefinition set)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(set);
        Services = services;
        this.set = set;
        SpanName = "send " + set.Topic;
        logger = services.LoggerFactory.CreateLogger(GetType());
        Tags = [new(SemanticConventions.MessagingSystem, "kafka"), new(SemanticConventions.DestinationName, set.Topic)];
        services.Topics.EnsureEmbedded(set);
    }

    /// <summary>The message set this producer writes.</summary>
    public MessageSetDefinition MessageSet => set;

    /// <summary>The topic this producer writes.</summary>
    public string Topic => set.Topic;

    internal ProducerServices Services { get; }

    internal string SpanName { get; }

    internal KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>Waits until every message queued so far (by any producer of the application) was delivered or failed.</summary>
    public void Flush(TimeSpan timeout) => Services.Connection.Flush(timeout);

    /// <summary>The sender of the member at <paramref name="messageIndex"/> of this producer's set.</summary>
    /// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="Guid"/>, or <see cref="Null"/> for no key.</typeparam>
    /// <typeparam name="TMessage">The member's message type.</typeparam>
    /// <param name="messageIndex">The member's index in the set.</param>
    /// <exception cref="NotSupportedException">Another key type.</exception>
    protected MessageSender<TKey, TMessage> CreateSender<TKey, TMessage>(int messageIndex)
        where TMessage : class, IMessage
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(messageIndex, set.MessageNames.Count);
        return new MessageSender<TKey, TMessage>(this, messageIndex);
    }

    internal void EnsurePrepared()
    {
        if (!prepared)
        {
            Prepare();
        }
    }

    internal void CountFailure() => KafkaTypedMetrics.SendFailed.Add(1, Tags);

    internal void ReportFailure(string topic, Error error)
    {
        CountFailure();
        ProducingLog.DeliveryFailed(logger, topic, error.Code, error.Reason);
    }

    private void Prepare()
    {
        // Once per producer: a registry codec may register the set's schema here. Blocking is acceptable once.
        var preparation = Services.Codec.PrepareAsync(set);
        if (!preparation.IsCompletedSuccessfully)
        {
            preparation.AsTask().GetAwaiter().GetResult();
        }

        prepared = true;
    }
}
