using System.Diagnostics;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Diagnostics;
using KafkaTyped.Hosting;
using KafkaTyped.Serialization;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Producing;

/// <summary>
/// The core of a typed producer for one message set. The generator emits one sealed subclass per <c>[Topic]</c>
/// interface with a method per member type that encodes the key and calls <see cref="ProduceAsync{TMessage}(TMessage, int, byte[], Headers, Timestamp, CancellationToken)"/> or
/// <see cref="Produce{TMessage}(TMessage, int, byte[], Headers, Timestamp, Action{DeliveryReport{byte[], byte[]}})"/> with the member's message index:
/// <code>
/// public ValueTask&lt;DeliveryResult&lt;byte[], byte[]&gt;&gt; ProduceAsync(OrderPlaced message, Headers? headers = null, Timestamp timestamp = default, CancellationToken cancellationToken = default)
///     =&gt; ProduceAsync(message, OrderEventsSet.OrderPlacedIndex, message is null ? null : KafkaKeyEncoding.Encode(message.OrderId), headers, timestamp, cancellationToken);
/// public void Produce(OrderPlaced message, Action&lt;DeliveryReport&lt;byte[], byte[]&gt;&gt;? deliveryHandler = null, Headers? headers = null, Timestamp timestamp = default)
///     =&gt; Produce(message, OrderEventsSet.OrderPlacedIndex, message is null ? null : KafkaKeyEncoding.Encode(message.OrderId), headers, timestamp, deliveryHandler);
/// </code>
/// </summary>
/// <remarks>
/// <para>Values are the codec's header followed by the Protobuf payload, written into one exactly sized array. A
/// fire-and-forget send without a delivery handler writes into a reused per-thread array instead (librdkafka copies
/// the value before <c>Produce</c> returns), so it allocates no value array.</para>
/// <para>Every send starts a <c>send {topic}</c> span when someone listens and writes the W3C <c>traceparent</c> of
/// that span (or of the ambient activity) into the headers.</para>
/// <para><c>kafkatyped.producer.failed</c> counts the failures KafkaTyped observes: fire-and-forget sends without a
/// delivery handler and traced async sends; an untraced <see cref="ProduceAsync{TMessage}(TMessage, int, byte[], Headers, Timestamp, CancellationToken)"/> reports failures only by
/// throwing, so that it allocates nothing beyond the client's task.</para>
/// <para>Thread-safe: call from any thread. All typed producers share the application's one
/// <see cref="KafkaProducerConnection"/>.</para>
/// </remarks>
public abstract class TypedProducer
{
    private readonly ProducerServices services;
    private readonly MessageSetDefinition set;
    private readonly string spanName;
    private readonly ILogger logger;
    private readonly Action<DeliveryReport<byte[], byte[]>> defaultDeliveryHandler;
    private readonly KeyValuePair<string, object?>[] tags;
    private volatile bool prepared;

    /// <summary>Creates the producer and, on the embedded cluster, the set's topic.</summary>
    protected TypedProducer(ProducerServices services, MessageSetDefinition set)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(set);
        this.services = services;
        this.set = set;
        spanName = "send " + set.Topic;
        logger = services.LoggerFactory.CreateLogger(GetType());
        defaultDeliveryHandler = OnDelivered;
        tags = [new(SemanticConventions.MessagingSystem, "kafka"), new(SemanticConventions.DestinationName, set.Topic)];
        services.Topics.EnsureEmbedded(set);
    }

    /// <summary>The message set this producer writes.</summary>
    public MessageSetDefinition MessageSet => set;

    /// <summary>The topic this producer writes.</summary>
    public string Topic => set.Topic;

    /// <summary>Waits until every message queued so far (by any producer of the application) was delivered or failed.</summary>
    public void Flush(TimeSpan timeout) => services.Connection.Flush(timeout);

    /// <summary>Sends a message and completes when the broker acknowledged it (<c>acks=all</c> by default).</summary>
    /// <param name="message">The message.</param>
    /// <param name="messageIndex">The member's index in the set.</param>
    /// <param name="key">The encoded key (see <see cref="Protobuf.KafkaKeyEncoding"/>), or null.</param>
    /// <param name="headers">Extra headers, or null.</param>
    /// <param name="timestamp">The record timestamp; <c>default</c> lets the producer stamp it.</param>
    /// <param name="cancellationToken">Stops waiting (the message may still be delivered).</param>
    /// <exception cref="ProduceException{TKey, TValue}">Delivery failed.</exception>
    protected ValueTask<DeliveryResult<byte[], byte[]>> ProduceAsync<TMessage>(TMessage message, int messageIndex, byte[]? key, Headers? headers, Timestamp timestamp, CancellationToken cancellationToken)
        where TMessage : IMessage
    {
        var kafkaMessage = CreateMessage(message, messageIndex, key, headers, timestamp, reuseValue: false, out var activity);
        KafkaTypedMetrics.Sent.Add(1, tags);
        var task = services.Connection.Producer.ProduceAsync(set.Topic, kafkaMessage, cancellationToken);
        return activity is null ? new ValueTask<DeliveryResult<byte[], byte[]>>(task) : AwaitTraced(task, activity);
    }

    /// <summary>
    /// Queues a message and returns at once; <paramref name="deliveryHandler"/> runs on the producer's delivery thread
    /// when the broker acknowledged it or delivery failed. Allocates no task: pass a cached delegate (not a capturing
    /// lambda) to keep it that way. Without a handler, failures are logged and counted.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">The local queue is full (<c>queue.buffering.max.messages</c>) or the message is invalid.</exception>
    protected void Produce<TMessage>(TMessage message, int messageIndex, byte[]? key, Headers? headers, Timestamp timestamp, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler)
        where TMessage : IMessage => Send(message, messageIndex, key, rentedKey: false, headers, timestamp, deliveryHandler);

    /// <summary>
    /// As <see cref="Produce{TMessage}(TMessage, int, byte[], Headers, Timestamp, Action{DeliveryReport{byte[], byte[]}})"/>,
    /// with the key not yet encoded: without a delivery handler neither the key nor the value needs an array of its own
    /// (both are written into reused per-thread arrays that librdkafka copies), so the send allocates only what the
    /// client itself does.
    /// </summary>
    /// <exception cref="ProduceException{TKey, TValue}">The local queue is full (<c>queue.buffering.max.messages</c>) or the message is invalid.</exception>
    protected void Produce<TMessage>(TMessage message, int messageIndex, ProducerKey key, Headers? headers, Timestamp timestamp, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler)
        where TMessage : IMessage
    {
        if (deliveryHandler is not null || key.IsNone)
        {
            // A caller's handler receives the key back in its delivery report: it must own its array.
            Send(message, messageIndex, key.ToArray(), rentedKey: false, headers, timestamp, deliveryHandler);
            return;
        }

        var keyBytes = ValueBufferCache.Rent(key.EncodedLength, forKey: true);
        key.Write(keyBytes);
        Send(message, messageIndex, keyBytes, rentedKey: true, headers, timestamp, deliveryHandler);
    }

    /// <summary>As <see cref="ProduceAsync{TMessage}(TMessage, int, byte[], Headers, Timestamp, CancellationToken)"/>, with the key not yet encoded.</summary>
    /// <exception cref="ProduceException{TKey, TValue}">Delivery failed.</exception>
    protected ValueTask<DeliveryResult<byte[], byte[]>> ProduceAsync<TMessage>(TMessage message, int messageIndex, ProducerKey key, Headers? headers, Timestamp timestamp, CancellationToken cancellationToken)
        where TMessage : IMessage => ProduceAsync(message, messageIndex, key.ToArray(), headers, timestamp, cancellationToken);

    private void Send<TMessage>(TMessage message, int messageIndex, byte[]? key, bool rentedKey, Headers? headers, Timestamp timestamp, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler)
        where TMessage : IMessage
    {
        // Without a caller's handler nobody sees the message again, so the value can come from a reused array
        // (librdkafka copies it inside Produce; see ValueBufferCache).
        var reuseValue = deliveryHandler is null;
        Message<byte[], byte[]> kafkaMessage;
        Activity? activity;
        try
        {
            kafkaMessage = CreateMessage(message, messageIndex, key, headers, timestamp, reuseValue, out activity);
        }
        catch when (rentedKey)
        {
            ValueBufferCache.Return(key!, forKey: true);
            throw;
        }

        KafkaTypedMetrics.Sent.Add(1, tags);
        try
        {
            services.Connection.Producer.Produce(set.Topic, kafkaMessage, deliveryHandler ?? defaultDeliveryHandler);
        }
        finally
        {
            if (reuseValue)
            {
                ValueBufferCache.Return(kafkaMessage.Value);
            }

            if (rentedKey)
            {
                ValueBufferCache.Return(key!, forKey: true);
            }

            // A fire-and-forget span covers the hand-over to the client; its delivery outcome is the handler's business.
            activity?.Stop();
        }
    }

    private Message<byte[], byte[]> CreateMessage<TMessage>(TMessage message, int messageIndex, byte[]? key, Headers? headers, Timestamp timestamp, bool reuseValue, out Activity? activity)
        where TMessage : IMessage
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!prepared)
        {
            Prepare();
        }

        var codec = services.Codec;
        var headerLength = codec.GetHeaderLength(set, messageIndex);
        var length = headerLength + message.CalculateSize();
        var value = reuseValue ? ValueBufferCache.Rent(length) : new byte[length];
        codec.WriteHeader(set, messageIndex, value.AsSpan(0, headerLength));
        message.WriteTo(value.AsSpan(headerLength));
        activity = KafkaTracing.StartSend(spanName, set.Topic, ref headers);
        return new Message<byte[], byte[]> { Key = key!, Value = value, Headers = headers, Timestamp = timestamp };
    }

    private void Prepare()
    {
        // Once per producer: a registry codec may register the set's schema here. Blocking is acceptable once.
        var preparation = services.Codec.PrepareAsync(set);
        if (!preparation.IsCompletedSuccessfully)
        {
            preparation.AsTask().GetAwaiter().GetResult();
        }

        prepared = true;
    }

    private async ValueTask<DeliveryResult<byte[], byte[]>> AwaitTraced(Task<DeliveryResult<byte[], byte[]>> task, Activity activity)
    {
        try
        {
            var result = await task.ConfigureAwait(false);
            KafkaTracing.StopSend(activity, result.Partition.Value, result.Offset.Value, null);
            return result;
        }
        catch (ProduceException<byte[], byte[]> exception)
        {
            KafkaTracing.StopSend(activity, -1, -1, exception.Error);
            KafkaTypedMetrics.SendFailed.Add(1, tags);
            throw;
        }
        finally
        {
            if (!activity.IsStopped)
            {
                activity.Stop();
            }
        }
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            KafkaTypedMetrics.SendFailed.Add(1, tags);
            ProducingLog.DeliveryFailed(logger, report.Topic, report.Error.Code, report.Error.Reason);
        }
    }
}
