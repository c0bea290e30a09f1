using System.Diagnostics.CodeAnalysis;
using KafkaTyped;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers interceptors around generated handlers (<see cref="IConsumeInterceptor{TMessage}"/>) and producers
/// (<see cref="IProduceInterceptor{TMessage}"/>). They run in registration order; chain after <c>AddKafkaTyped</c>:
/// <code>
/// services.AddKafkaTyped(configuration)
///     .AddConsumeInterceptor(typeof(LoggingInterceptor&lt;&gt;))            // every handled type
///     .AddConsumeInterceptor&lt;OrderAudit&gt;(ServiceLifetime.Scoped)   // IConsumeInterceptor&lt;OrderPlaced&gt;
///     .AddProduceInterceptor&lt;TenantHeader&gt;();
/// </code>
/// </summary>
public static class KafkaTypedInterceptorServiceCollectionExtensions
{
    // DI activates the class, and registration reads which IConsumeInterceptor<T>/IProduceInterceptor<T> it implements.
    private const DynamicallyAccessedMemberTypes Interceptor = DynamicallyAccessedMemberTypes.Interfaces | DynamicallyAccessedMemberTypes.PublicConstructors;

    private const string OpenGenericsNeedDynamicCode =
        "An open generic interceptor is closed with MakeGenericType for each message type at run time, which native AOT cannot guarantee. Register closed interceptor classes with the generic overload in AOT applications.";
    /// <summary>
    /// Adds <typeparamref name="TInterceptor"/> around the handlers of every message type <c>T</c> for which it implements
    /// <see cref="IConsumeInterceptor{TMessage}"/>. A second registration of the same class is ignored.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="lifetime">Its DI lifetime: singleton (the default, resolved once) or scoped/transient (resolved from each record's handler scope).</param>
    /// <exception cref="ArgumentException"><typeparamref name="TInterceptor"/> implements no <see cref="IConsumeInterceptor{TMessage}"/>.</exception>
    public static IServiceCollection AddConsumeInterceptor<[DynamicallyAccessedMembers(Interceptor)] TInterceptor>(this IServiceCollection services, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TInterceptor : class =>
        Add(services, typeof(TInterceptor), typeof(IConsumeInterceptor<>), produce: false, lifetime);

    /// <summary>
    /// Adds a consume interceptor class, or an open generic one (<c>typeof(LoggingInterceptor&lt;&gt;)</c>, implementing
    /// <c>IConsumeInterceptor&lt;T&gt;</c> for its own type parameter) that runs for every handled message type its
    /// constraints allow.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="interceptorType">The class or open generic definition.</param>
    /// <param name="lifetime">Its DI lifetime (singleton by default).</param>
    /// <exception cref="ArgumentException">The type is no consume interceptor.</exception>
    [RequiresDynamicCode(OpenGenericsNeedDynamicCode)]
    public static IServiceCollection AddConsumeInterceptor(this IServiceCollection services, [DynamicallyAccessedMembers(Interceptor)] Type interceptorType, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        Add(services, interceptorType, typeof(IConsumeInterceptor<>), produce: false, lifetime);

    /// <summary>
    /// Adds <typeparamref name="TInterceptor"/> (a singleton) to the sends of every message type <c>T</c> for which it
    /// implements <see cref="IProduceInterceptor{TMessage}"/>. A second registration of the same class is ignored.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="TInterceptor"/> implements no <see cref="IProduceInterceptor{TMessage}"/>.</exception>
    public static IServiceCollection AddProduceInterceptor<[DynamicallyAccessedMembers(Interceptor)] TInterceptor>(this IServiceCollection services)
        where TInterceptor : class =>
        Add(services, typeof(TInterceptor), typeof(IProduceInterceptor<>), produce: true, ServiceLifetime.Singleton);

    /// <summary>Adds a produce interceptor class, or an open generic one for every message type its constraints allow (a singleton).</summary>
    /// <exception cref="ArgumentException">The type is no produce interceptor.</exception>
    [RequiresDynamicCode(OpenGenericsNeedDynamicCode)]
    public static IServiceCollection AddProduceInterceptor(this IServiceCollection services, [DynamicallyAccessedMembers(Interceptor)] Type interceptorType) =>
        Add(services, interceptorType, typeof(IProduceInterceptor<>), produce: true, ServiceLifetime.Singleton);

    /// <summary>Registers the <see cref="InterceptorRegistry"/> (idempotent).</summary>
    internal static void AddInterceptorRegistry(IServiceCollection services) =>
        services.TryAddSingleton(static provider => new InterceptorRegistry(provider, provider.GetServices<InterceptorRegistration>()));

    private static IServiceCollection Add(IServiceCollection services, [DynamicallyAccessedMembers(Interceptor)] Type type, Type contract, bool produce, ServiceLifetime lifetime)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsAbstract || type.IsInterface || !type.IsClass)
        {
            throw new ArgumentException($"{type} is not a concrete class: register a class implementing {contract.Name[..^2]}<T>.", nameof(type));
        }

        var messages = new List<Type?>();
        foreach (var implemented in type.GetInterfaces())
        {
            if (implemented.IsGenericType && implemented.GetGenericTypeDefinition() == contract)
            {
                var message = implemented.GetGenericArguments()[0];
                messages.Add(type.IsGenericTypeDefinition ? (message.IsGenericParameter ? null : message) : message);
            }
        }

        if (type.IsGenericTypeDefinition && (type.GetGenericArguments().Length != 1 || !messages.Contains(null)))
        {
            throw new ArgumentException($"{type} is an open generic, so it must have one type parameter T and implement {contract.Name[..^2]}<T> for it.", nameof(type));
        }

        if (messages.Count == 0)
        {
            throw new ArgumentException($"{type} implements no {contract.Name[..^2]}<T>: implement it for the message types to intercept.", nameof(type));
        }

        if (services.Any(d => d.ServiceType == typeof(InterceptorRegistration) && d.ImplementationInstance is InterceptorRegistration r && r.Produce == produce && r.Implementation == type))
        {
            return services;
        }

        services.TryAdd(new ServiceDescriptor(type, type, lifetime));
        if (type.IsGenericTypeDefinition)
        {
            services.AddSingleton(new InterceptorRegistration(produce, type, null, lifetime));
        }
        else
        {
            foreach (var message in messages.Distinct())
            {
                services.AddSingleton(new InterceptorRegistration(produce, type, message, lifetime));
            }
        }

        AddInterceptorRegistry(services);
        return services;
    }
}
