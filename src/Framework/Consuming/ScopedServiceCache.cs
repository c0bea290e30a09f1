using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Consuming;

/// <summary>
/// The provider a <see cref="HandlerScope.PerBatch"/> lane dispatches with: its DI scope, with the services the scope
/// would return the same instance of anyway (registered scoped or singleton) answered from the first resolution.
/// </summary>
/// <remarks>
/// <para>The generated dispatch resolves the handler for every record. From a scope, Microsoft's container looks the
/// service up twice (its resolver by type, then the scope's instance under a lock): 35 ns of the 75 ns the engine added
/// to a bare parse per record in <c>DispatchBenchmarks</c> (docs/performance.md). A lane runs one record at a time, so
/// the cache needs no lock.</para>
/// <para>Only types in <see cref="ScopedRegistrations"/> are cached, and only under Microsoft's own container, whose
/// lifetimes those registrations are: any other type (transient, or open to a third-party container's own rules) goes to
/// the scope every time, as before.</para>
/// </remarks>
internal sealed class ScopedServiceCache(ScopedRegistrations registrations) : IServiceProvider, ISupportRequiredService, IKeyedServiceProvider
{
    /// <summary>A handful covers a group's handlers; beyond that the scope answers (a miss costs what it did before).</summary>
    private const int Capacity = 8;

    private readonly Type?[] types = new Type?[Capacity];
    private readonly object?[] instances = new object?[Capacity];
    private int count;
    private IServiceProvider scope = null!;

    /// <summary>Starts over with a new DI scope: nothing resolved from the previous one is handed out again.</summary>
    public ScopedServiceCache Over(IServiceProvider current)
    {
        Clear();
        scope = current;
        return this;
    }

    /// <summary>
    /// Forgets the ended scope and what it resolved, so its (disposed) instances are not kept alive until the next scope
    /// starts. The types need no clearing: the count bounds the search.
    /// </summary>
    public void Clear()
    {
        Array.Clear(instances, 0, count);
        count = 0;
        scope = null!;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType) => Find(serviceType) ?? Remember(serviceType, scope.GetService(serviceType));

    /// <inheritdoc />
    public object GetRequiredService(Type serviceType) => Find(serviceType) ?? Remember(serviceType, scope.GetRequiredService(serviceType))!;

    /// <inheritdoc />
    public object? GetKeyedService(Type serviceType, object? serviceKey) => Keyed().GetKeyedService(serviceType, serviceKey);

    /// <inheritdoc />
    public object GetRequiredKeyedService(Type serviceType, object? serviceKey) => Keyed().GetRequiredKeyedService(serviceType, serviceKey);

    private object? Find(Type serviceType)
    {
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(types[i], serviceType))
            {
                return instances[i];
            }
        }

        return null;
    }

    private object? Remember(Type serviceType, object? instance)
    {
        // A null (a factory that returned none) is not remembered: the scope is asked again, as it would be.
        if (instance is not null && count < Capacity && registrations.IsScopedOrSingleton(serviceType))
        {
            types[count] = serviceType;
            instances[count++] = instance;
        }

        return instance;
    }

    private IKeyedServiceProvider Keyed() => scope as IKeyedServiceProvider
        ?? throw new InvalidOperationException("This service provider doesn't support keyed services.");
}

/// <summary>
/// Which service types Microsoft's container resolves to one instance per scope (the last non-keyed registration of the
/// type is scoped or singleton): what <see cref="ScopedServiceCache"/> may remember. Read once, from the service
/// collection the consumers were registered in, when the first group starts (the collection is complete by then).
/// </summary>
internal sealed class ScopedRegistrations
{
    private readonly IServiceCollection services;
    private HashSet<Type>? scoped;

    public ScopedRegistrations(IServiceCollection services) => this.services = services;

    /// <summary>True when <paramref name="serviceType"/>'s last non-keyed registration is scoped or singleton.</summary>
    public bool IsScopedOrSingleton(Type serviceType) => LazyInitializer.EnsureInitialized(ref scoped, Read).Contains(serviceType);

    /// <summary>
    /// A cache for a lane's scopes under <paramref name="root"/>, or null when <paramref name="root"/> is not Microsoft's
    /// container (another container applies lifetimes of its own, which the registrations read here need not tell).
    /// </summary>
    public ScopedServiceCache? CacheFor(IServiceProvider root) =>
        // The root a singleton is given is the container's root scope, an internal type of the same assembly.
        root.GetType().Assembly == typeof(ServiceProvider).Assembly ? new ScopedServiceCache(this) : null;

    private HashSet<Type> Read()
    {
        var last = new Dictionary<Type, ServiceLifetime>();
        foreach (var descriptor in services)
        {
            if (!descriptor.IsKeyedService)
            {
                last[descriptor.ServiceType] = descriptor.Lifetime;
            }
        }

        return [.. last.Where(static pair => pair.Value != ServiceLifetime.Transient).Select(static pair => pair.Key)];
    }
}
