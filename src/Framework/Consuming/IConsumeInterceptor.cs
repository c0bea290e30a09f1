namespace KafkaTyped;

/// <summary>
/// Runs around every handler call of <typeparamref name="TMessage"/>: before it, after it, instead of it, or around its
/// exception. Register with <c>services.AddConsumeInterceptor&lt;T&gt;()</c> (or an open generic
/// <c>services.AddConsumeInterceptor(typeof(T&lt;&gt;))</c> for every message type its constraints allow); interceptors
/// run in registration order, the first registered outermost.
/// </summary>
/// <typeparam name="TMessage">The message type (a handled <see cref="KafkaMessageAttribute"/> type).</typeparam>
/// <remarks>
/// <para>Call <c>next.InvokeAsync(message, context, cancellationToken)</c> to go on to the next interceptor and finally
/// the handler; return without calling it to skip the handler (the record then counts as handled and is committed).
/// An exception the interceptor lets through (its own or the handler's) goes to the consumer group's retry policy and
/// dead-letter topic as a handler's would; each retry runs the interceptors again (<see cref="MessageContext.Attempt"/>).</para>
/// <para>Resolved from the same DI scope as the handler. When no interceptor applies to a message type, the generated
/// dispatcher calls the handler directly: no allocation and no extra call.</para>
/// </remarks>
public interface IConsumeInterceptor<TMessage>
    where TMessage : class
{
    /// <summary>Intercepts one handler call.</summary>
    /// <param name="message">The deserialized message.</param>
    /// <param name="context">Where it came from: topic, partition, offset, key, headers, timestamp, attempt, group.</param>
    /// <param name="next">The rest of the pipeline: the next interceptor, then the handler.</param>
    /// <param name="cancellationToken">Signalled when the partition is revoked past its drain timeout or the host stops.</param>
    ValueTask InterceptAsync(TMessage message, MessageContext context, ConsumeNext<TMessage> next, CancellationToken cancellationToken);
}

/// <summary>The rest of a consume pipeline after one interceptor: the next interceptors, then the handler.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <remarks>A small struct: passing it on allocates nothing. Call <see cref="InvokeAsync"/> at most once per interception.</remarks>
public readonly struct ConsumeNext<TMessage>
    where TMessage : class
{
    private readonly IConsumeInterceptor<TMessage>[] interceptors;
    private readonly int index;
    private readonly IHandle<TMessage> handler;

    internal ConsumeNext(IConsumeInterceptor<TMessage>[] interceptors, int index, IHandle<TMessage> handler)
    {
        this.interceptors = interceptors;
        this.index = index;
        this.handler = handler;
    }

    /// <summary>Runs the next interceptor, or the handler after the last one.</summary>
    /// <param name="message">The message (normally the one the interceptor received).</param>
    /// <param name="context">The record's context.</param>
    /// <param name="cancellationToken">The token to pass on.</param>
    /// <exception cref="InvalidOperationException">This is a default instance, not one the pipeline passed in.</exception>
    public ValueTask InvokeAsync(TMessage message, MessageContext context, CancellationToken cancellationToken)
    {
        if (handler is null)
        {
            throw new InvalidOperationException("This ConsumeNext is a default instance: call the one your interceptor received.");
        }

        return index < interceptors.Length
            ? interceptors[index].InterceptAsync(message, context, new ConsumeNext<TMessage>(interceptors, index + 1, handler), cancellationToken)
            : handler.HandleAsync(message, context, cancellationToken);
    }
}
