using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The registered consume and produce interceptors. Generated dispatchers ask it once per handled message type, at
/// construction, for that type's pipeline; a null answer means no interceptor applies and the handler is called
/// directly.
/// </summary>
/// <remarks>Singleton, registered by <c>AddKafkaTypedCore</c>; thread-safe.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class InterceptorRegistry
{
    private readonly IServiceProvider services;
    private readonly InterceptorRegistration[] registrations;
    private readonly ILogger logger;

    internal InterceptorRegistry(IServiceProvider services, IEnumerable<InterceptorRegistration> registrations)
    {
        this.services = services;
        this.registrations = [.. registrations];
        logger = services.GetService<ILoggerFactory>()?.CreateLogger("KafkaTyped.Producing.Interceptors") ?? NullLogger.Instance;
    }

    /// <summary>The consume pipeline of <typeparamref name="TMessage"/>, or null when no consume interceptor applies to it.</summary>
    /// <typeparam name="TMessage">A handled message type.</typeparam>
    public ConsumePipeline<TMessage>? ForConsume<TMessage>()
        where TMessage : class
    {
        var (types, singletons) = Applicable(produce: false, typeof(TMessage), typeof(IConsumeInterceptor<TMessage>));
        return types.Length == 0 ? null : new ConsumePipeline<TMessage>(services, types, singletons);
    }

    /// <summary>The produce pipeline of <typeparamref name="TMessage"/>, or null when no produce interceptor applies to it.</summary>
    internal ProducePipeline<TMessage>? ForProduce<TMessage>()
        where TMessage : class
    {
        var (types, _) = Applicable(produce: true, typeof(TMessage), typeof(IProduceInterceptor<TMessage>));
        if (types.Length == 0)
        {
            return null;
        }

        // Produce interceptors are singletons (AddProduceInterceptor registers them so): resolved once.
        var interceptors = new IProduceInterceptor<TMessage>[types.Length];
        for (var i = 0; i < types.Length; i++)
        {
            interceptors[i] = (IProduceInterceptor<TMessage>)services.GetRequiredService(types[i]);
        }

        return new ProducePipeline<TMessage>(interceptors, logger);
    }

    /// <summary>The interceptor classes that apply to <paramref name="message"/>, in registration order, without repeats.</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "MakeGenericType is reached only for open generic interceptors, registered through the Type overloads of AddConsumeInterceptor/AddProduceInterceptor, which keep the definition's constructors and interfaces (DynamicallyAccessedMembers) and carry RequiresDynamicCode.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "MakeGenericType is reached only for open generic interceptors, registered through the Type overloads of AddConsumeInterceptor/AddProduceInterceptor, which carry RequiresDynamicCode.")]
    private (Type[] Types, bool Singletons) Applicable(bool produce, Type message, Type service)
    {
        var types = new List<Type>();
        var singletons = true;
        foreach (var registration in registrations)
        {
            if (registration.Produce != produce)
            {
                continue;
            }

            Type type;
            if (registration.Message is null)
            {
                try
                {
                    type = registration.Implementation.MakeGenericType(message);
                }
                catch (ArgumentException)
                {
                    // The open generic's constraints exclude this message type.
                    continue;
                }
            }
            else if (registration.Message == message)
            {
                type = registration.Implementation;
            }
            else
            {
                continue;
            }

            if (service.IsAssignableFrom(type) && !types.Contains(type))
            {
                types.Add(type);
                singletons &= registration.Lifetime == ServiceLifetime.Singleton;
            }
        }

        return ([.. types], singletons);
    }
}
