using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The consume interceptors of one message type, in registration order, around its handler. A generated dispatcher
/// holds one per handled type that has interceptors (from <see cref="InterceptorRegistry.ForConsume{TMessage}"/>) and
/// calls the handler directly for the others.
/// </summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <remarks>
/// Singleton interceptors are resolved once; when any applicable interceptor is scoped or transient, all of them are
/// resolved per record from the record's DI scope (one small array per record). Thread-safe.
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ConsumePipeline<TMessage>
    where TMessage : class
{
    private readonly IServiceProvider root;
    private readonly Type[] types;
    private readonly bool singletons;
    private IConsumeInterceptor<TMessage>[]? resolved;

    internal ConsumePipeline(IServiceProvider root, Type[] types, bool singletons)
    {
        this.root = root;
        this.types = types;
        this.singletons = singletons;
    }

    /// <summary>Runs the interceptors and then <paramref name="handler"/>.</summary>
    /// <param name="handler">The group's handler.</param>
    /// <param name="message">The deserialized message.</param>
    /// <param name="context">The record's context.</param>
    /// <param name="services">The record's DI scope (or the root provider).</param>
    /// <param name="cancellationToken">The handler's token.</param>
    public ValueTask InvokeAsync(IHandle<TMessage> handler, TMessage message, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var interceptors = singletons ? resolved ??= Resolve(root) : Resolve(services);
        return new ConsumeNext<TMessage>(interceptors, 0, handler).InvokeAsync(message, context, cancellationToken);
    }

    private IConsumeInterceptor<TMessage>[] Resolve(IServiceProvider provider)
    {
        var interceptors = new IConsumeInterceptor<TMessage>[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            interceptors[i] = (IConsumeInterceptor<TMessage>)provider.GetRequiredService(types[i]);
        }

        return interceptors;
    }
}
