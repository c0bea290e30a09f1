namespace KafkaTyped;

/// <summary>
/// Sees every send of <typeparamref name="TMessage"/> through a generated producer: before it is handed to the client
/// (<see cref="OnProduce"/>, which may add headers or refuse the send by throwing) and when its outcome is known
/// (<see cref="OnDelivered"/>). Register with <c>services.AddProduceInterceptor&lt;T&gt;()</c> or an open generic
/// <c>services.AddProduceInterceptor(typeof(T&lt;&gt;))</c>; interceptors run in registration order (<see cref="OnDelivered"/>
/// in reverse).
/// </summary>
/// <typeparam name="TMessage">The message type (a member of a <c>[Topic]</c> set).</typeparam>
/// <remarks>
/// <para>Singletons (producers are). Both methods are synchronous, as Kafka's Java <c>ProducerInterceptor</c>:
/// <see cref="OnDelivered"/> runs on the producer's delivery thread for <c>Produce</c>, or where the awaited
/// <c>ProduceAsync</c> completes, and must be quick. An exception from <see cref="OnDelivered"/> is logged, never
/// thrown into the delivery thread or over the send's own outcome.</para>
/// <para>When no interceptor applies to a message type, the sender skips all of this: no allocation, no extra call.</para>
/// </remarks>
public interface IProduceInterceptor<TMessage>
    where TMessage : class
{
    /// <summary>Runs before the send; add headers with <c>context.Headers.Add(...)</c>, or throw to refuse the send (the exception reaches the caller).</summary>
    /// <param name="message">The message about to be sent.</param>
    /// <param name="context">The topic, headers (created on first use) and timestamp of the send.</param>
    void OnProduce(TMessage message, ProduceContext context);

    /// <summary>Runs once the send's outcome is known: delivered (<see cref="ProduceContext.Partition"/>, <see cref="ProduceContext.Offset"/>) or failed (<see cref="ProduceContext.Exception"/>, <see cref="ProduceContext.Error"/>).</summary>
    /// <param name="message">The message that was sent.</param>
    /// <param name="context">The same context <see cref="OnProduce"/> saw, with the outcome filled in.</param>
    void OnDelivered(TMessage message, ProduceContext context)
    {
    }
}
