using System.Diagnostics;
using Confluent.Kafka;
using Google.Protobuf;
using KafkaTyped.Diagnostics;
using KafkaTyped.Producing;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// Sends one member type of a message set: the generated producer holds one per member (from
/// <see cref="TypedProducer.CreateSender{TKey, TMessage}(int)"/>) and forwards each <c>Produce</c>/<c>ProduceAsync</c>
/// call to it with the key read from the member's <c>[Key]</c> property.
/// </summary>
/// <typeparam name="TKey">The key type: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="Guid"/>, or <see cref="Null"/> for members without a key.</typeparam>
/// <typeparam name="TMessage">The member's message type.</typeparam>
/// <remarks>
/// <para>The client is a dependent producer on the application's one connection, with serializers that write the
/// encoded key and the framed value into reused per-thread arrays (librdkafka copies them before the client's call
/// returns). Delivery reports and results carry the typed key and the message object itself, so a send with a delivery
/// handler allocates what the raw client allocates for pre-serialized bytes, and no arrays.</para>
/// <para>Thread-safe.</para>
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class MessageSender<TKey, TMessage>
    where TMessage : class, IMessage
{
    private readonly TypedProducer owner;
    private readonly ISerializer<TKey> keySerializer;
    private readonly FramedValueSerializer<TMessage> valueSerializer;
    private readonly Action<DeliveryReport<TKey, TMessage>> reportFailures;
    private readonly ProducePipeline<TMessage>? interceptors;
    private IProducer<TKey, TMessage>? client;

    internal MessageSender(TypedProducer owner, int messageIndex)
    {
        this.owner = owner;
        keySerializer = KeySerializers.For<TKey>();
        valueSerializer = new FramedValueSerializer<TMessage>(owner.Services.Codec, owner.MessageSet, messageIndex);
        reportFailures = ReportFailure;

        // Null when no produce interceptor applies: the sends below then take the plain path (one null check).
        interceptors = owner.Services.Interceptors?.ForProduce<TMessage>();
    }

    /// <summary>
    /// Queues a message and returns at once; <paramref name="deliveryHandler"/> runs on the producer's delivery thread
    /// when the broker acknowledged it or delivery failed. Allocates no task: pass a cached delegate (not a capturing
    /// lambda) to keep it that way. Without a handler, failures are logged and counted.
    /// </summary>
    /// <param name="key">The key (null for a null Kafka key).</param>
    /// <param name="message">The message.</param>
    /// <param name="deliveryHandler">Runs on delivery; its report carries <paramref name="key"/> and <paramref name="message"/>.</param>
    /// <param name="headers">Extra headers, or null.</param>
    /// <param name="timestamp">The record timestamp; <c>default</c> lets the producer stamp it.</param>
    /// <exception cref="ProduceException{TKey, TValue}">The local queue is full (<c>queue.buffering.max.messages</c>) or the message is invalid.</exception>
    public void Produce(TKey key, TMessage message, Action<DeliveryReport<TKey, TMessage>>? deliveryHandler, Headers? headers, Timestamp timestamp)
    {
        if (interceptors is not null)
        {
            ProduceIntercepted(interceptors, key, message, deliveryHandler, headers, timestamp);
            return;
        }

        ProduceCore(key, message, deliveryHandler, headers, timestamp);
    }

    private void ProduceCore(TKey key, TMessage message, Action<DeliveryReport<TKey, TMessage>>? deliveryHandler, Headers? headers, Timestamp timestamp)
    {
        if (KafkaTransaction.Current is { } transaction)
        {
            ProduceInTransaction(transaction, key, message, deliveryHandler, headers, timestamp);
            return;
        }

        var producer = Client(message);
        var activity = KafkaTracing.StartSend(owner.SpanName, owner.Topic, ref headers);
        KafkaTypedMetrics.Sent.Add(1, owner.Tags);
        try
        {
            producer.Produce(owner.Topic, new Message<TKey, TMessage> { Key = key, Value = message, Headers = headers, Timestamp = timestamp }, deliveryHandler ?? reportFailures);
        }
        finally
        {
            ValueBufferCache.ReturnSendBuffers();

            // A fire-and-forget span covers the hand-over to the client; its delivery outcome is the handler's business.
            activity?.Stop();
        }
    }

    /// <summary>Sends a message and completes when the broker acknowledged it (<c>acks=all</c> by default).</summary>
    /// <param name="key">The key (null for a null Kafka key).</param>
    /// <param name="message">The message.</param>
    /// <param name="headers">Extra headers, or null.</param>
    /// <param name="timestamp">The record timestamp; <c>default</c> lets the producer stamp it.</param>
    /// <param name="cancellationToken">Stops waiting (the message may still be delivered).</param>
    /// <exception cref="ProduceException{TKey, TValue}">Delivery failed.</exception>
    public ValueTask<DeliveryResult<TKey, TMessage>> ProduceAsync(TKey key, TMessage message, Headers? headers, Timestamp timestamp, CancellationToken cancellationToken)
    {
        return interceptors is not null
            ? ProduceInterceptedAsync(interceptors, key, message, headers, timestamp, cancellationToken)
            : ProduceCoreAsync(key, message, headers, timestamp, cancellationToken);
    }

    private ValueTask<DeliveryResult<TKey, TMessage>> ProduceCoreAsync(TKey key, TMessage message, Headers? headers, Timestamp timestamp, CancellationToken cancellationToken)
    {
        if (KafkaTransaction.Current is { } transaction)
        {
            return ProduceInTransactionAsync(transaction, key, message, headers, timestamp, cancellationToken);
        }

        var producer = Client(message);
        var activity = KafkaTracing.StartSend(owner.SpanName, owner.Topic, ref headers);
        KafkaTypedMetrics.Sent.Add(1, owner.Tags);
        Task<DeliveryResult<TKey, TMessage>> task;
        try
        {
            // The client serializes synchronously (no async serializers), so the buffers are free when this returns.
            task = producer.ProduceAsync(owner.Topic, new Message<TKey, TMessage> { Key = key, Value = message, Headers = headers, Timestamp = timestamp }, cancellationToken);
        }
        finally
        {
            ValueBufferCache.ReturnSendBuffers();
        }

        return activity is null ? new ValueTask<DeliveryResult<TKey, TMessage>>(task) : AwaitTraced(task, activity);
    }

    /// <summary>A send with produce interceptors: they see it before (and may add headers) and its outcome after.</summary>
    private void ProduceIntercepted(ProducePipeline<TMessage> pipeline, TKey key, TMessage message, Action<DeliveryReport<TKey, TMessage>>? deliveryHandler, Headers? headers, Timestamp timestamp)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = new ProduceContext(owner.Topic, headers, timestamp);
        pipeline.Before(message, context);
        var handler = deliveryHandler ?? reportFailures;
        try
        {
            ProduceCore(key, message, report =>
            {
                context.Delivered(report.Partition.Value, report.Offset.Value, report.Status, report.Error);
                pipeline.After(message, context);
                handler(report);
            }, context.HeadersOrNull, timestamp);
        }
        catch (Exception exception)
        {
            context.Failed(exception, (exception as KafkaException)?.Error);
            pipeline.After(message, context);
            throw;
        }
    }

    private async ValueTask<DeliveryResult<TKey, TMessage>> ProduceInterceptedAsync(ProducePipeline<TMessage> pipeline, TKey key, TMessage message, Headers? headers, Timestamp timestamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var context = new ProduceContext(owner.Topic, headers, timestamp);
        pipeline.Before(message, context);
        DeliveryResult<TKey, TMessage> result;
        try
        {
            result = await ProduceCoreAsync(key, message, context.HeadersOrNull, timestamp, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            context.Failed(exception, (exception as KafkaException)?.Error);
            pipeline.After(message, context);
            throw;
        }

        context.Delivered(result.Partition.Value, result.Offset.Value, result.Status, new Error(ErrorCode.NoError));
        pipeline.After(message, context);
        return result;
    }

    /// <summary>
    /// A send from a handler of a transactional group: serialized here and produced on the transaction's producer, so it
    /// becomes visible (to <c>read_committed</c> consumers) only with the transaction that commits the handled offsets.
    /// </summary>
    private void ProduceInTransaction(KafkaTransaction transaction, TKey key, TMessage message, Action<DeliveryReport<TKey, TMessage>>? deliveryHandler, Headers? headers, Timestamp timestamp)
    {
        var raw = Serialize(key, message, headers, timestamp);
        try
        {
            transaction.Producer.Produce(owner.Topic, raw, deliveryHandler is null ? null : report => deliveryHandler(Typed(report, key, message)));
        }
        finally
        {
            ValueBufferCache.ReturnSendBuffers();
        }
    }

    private async ValueTask<DeliveryResult<TKey, TMessage>> ProduceInTransactionAsync(KafkaTransaction transaction, TKey key, TMessage message, Headers? headers, Timestamp timestamp, CancellationToken cancellationToken)
    {
        Task<DeliveryResult<byte[], byte[]>> sent;
        var raw = Serialize(key, message, headers, timestamp);
        try
        {
            sent = transaction.Producer.ProduceAsync(owner.Topic, raw, cancellationToken);
        }
        finally
        {
            ValueBufferCache.ReturnSendBuffers();
        }

        var result = await sent.ConfigureAwait(false);
        return new DeliveryResult<TKey, TMessage>
        {
            Topic = result.Topic,
            Partition = result.Partition,
            Offset = result.Offset,
            Status = result.Status,
            Message = new Message<TKey, TMessage> { Key = key, Value = message, Headers = result.Message.Headers, Timestamp = result.Message.Timestamp },
        };
    }

    private Message<byte[], byte[]> Serialize(TKey key, TMessage message, Headers? headers, Timestamp timestamp)
    {
        ArgumentNullException.ThrowIfNull(message);
        owner.EnsurePrepared();
        KafkaTypedMetrics.Sent.Add(1, owner.Tags);
        return new Message<byte[], byte[]>
        {
            Key = keySerializer.Serialize(key, new SerializationContext(MessageComponentType.Key, owner.Topic, headers)),
            Value = valueSerializer.Serialize(message, new SerializationContext(MessageComponentType.Value, owner.Topic, headers)),
            Headers = headers,
            Timestamp = timestamp,
        };
    }

    private static DeliveryReport<TKey, TMessage> Typed(DeliveryReport<byte[], byte[]> report, TKey key, TMessage message) => new()
    {
        Topic = report.Topic,
        Partition = report.Partition,
        Offset = report.Offset,
        Status = report.Status,
        Error = report.Error,
        Message = new Message<TKey, TMessage> { Key = key, Value = message, Headers = report.Message?.Headers, Timestamp = report.Message?.Timestamp ?? default },
    };

    private IProducer<TKey, TMessage> Client(TMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        owner.EnsurePrepared();
        return client ?? CreateClient();
    }

    private IProducer<TKey, TMessage> CreateClient()
    {
        var created = new DependentProducerBuilder<TKey, TMessage>(owner.Services.Connection.ProducerFor(owner.Topic).Handle)
            .SetKeySerializer(keySerializer)
            .SetValueSerializer(valueSerializer)
            .Build();

        // A dependent producer owns nothing (the connection owns the handle), so a racing loser needs no disposal.
        return Interlocked.CompareExchange(ref client, created, null) ?? created;
    }

    private async ValueTask<DeliveryResult<TKey, TMessage>> AwaitTraced(Task<DeliveryResult<TKey, TMessage>> task, Activity activity)
    {
        try
        {
            var result = await task.ConfigureAwait(false);
            KafkaTracing.StopSend(activity, result.Partition.Value, result.Offset.Value, null);
            return result;
        }
        catch (ProduceException<TKey, TMessage> exception)
        {
            KafkaTracing.StopSend(activity, -1, -1, exception.Error);
            owner.CountFailure();
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

    private void ReportFailure(DeliveryReport<TKey, TMessage> report)
    {
        if (report.Error.IsError)
        {
            owner.ReportFailure(report.Topic, report.Error);
        }
    }
}
