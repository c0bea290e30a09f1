using System.Runtime.CompilerServices;
using KafkaTyped.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.Tests.Consuming;

/// <summary>
/// A <see cref="HandlerScope.PerBatch"/> lane remembers what its scope resolves, and only where the scope would hand
/// out the same instance anyway: lifetimes stay what the registrations say.
/// </summary>
public sealed class ScopedServiceCacheTests
{
    [Fact]
    public async Task A_scoped_service_is_one_instance_per_scope_and_a_new_one_after_the_scope_ends()
    {
        var (lane, created) = LaneOver(static services => services.AddScoped<Handler>());

        var first = lane.Services.GetRequiredService<Handler>();
        Assert.Same(first, lane.Services.GetRequiredService<Handler>());
        Assert.Same(first, lane.Services.GetService(typeof(Handler)));

        await lane.EndAsync();
        var second = lane.Services.GetRequiredService<Handler>();
        Assert.NotSame(first, second);
        Assert.True(first.Disposed);
        Assert.Equal(2, created.Count);
    }

    [Fact]
    public async Task An_ended_scope_leaves_nothing_it_resolved_alive_in_the_lane()
    {
        // The poll thread keeps its lane scope from burst to burst: what the ended scope resolved must not stay reachable
        // through the cache until the next scope starts.
        var (lane, _) = LaneOver(static services => services.AddScoped<Unwatched>());
        var resolved = ResolveWeakly(lane);

        await lane.EndAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(resolved.IsAlive);
        Assert.NotNull(lane.Services.GetRequiredService<Unwatched>()); // and the lane goes on with a fresh scope
    }

    [Fact]
    public void A_transient_service_is_created_for_every_resolution()
    {
        var (lane, created) = LaneOver(static services => services.AddTransient<Handler>());

        var first = lane.Services.GetRequiredService<Handler>();
        var second = lane.Services.GetRequiredService<Handler>();
        var third = (Handler)lane.Services.GetService(typeof(Handler))!;

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
        Assert.Equal(3, created.Count);
    }

    [Fact]
    public void The_last_registration_decides_the_lifetime()
    {
        var (lane, _) = LaneOver(static services =>
        {
            services.AddScoped<Handler>();
            services.AddTransient<Handler>();
        });

        Assert.NotSame(lane.Services.GetRequiredService<Handler>(), lane.Services.GetRequiredService<Handler>());
    }

    [Fact]
    public void A_singleton_stays_the_one_instance_and_keyed_services_still_resolve()
    {
        var (lane, _) = LaneOver(static services =>
        {
            services.AddSingleton<Handler>();
            services.AddKeyedScoped<Handler>("blue");
        });

        var singleton = lane.Services.GetRequiredService<Handler>();
        Assert.Same(singleton, lane.Services.GetRequiredService<Handler>());
        var keyed = lane.Services.GetRequiredKeyedService<Handler>("blue");
        Assert.NotSame(singleton, keyed);
        Assert.Same(keyed, lane.Services.GetRequiredKeyedService<Handler>("blue"));
    }

    [Fact]
    public void A_missing_required_service_still_says_which_one()
    {
        var (lane, _) = LaneOver(static _ => { });

        var error = Assert.Throws<InvalidOperationException>(() => lane.Services.GetRequiredService<Handler>());
        Assert.Contains(nameof(Handler), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_container_gets_no_cache_since_its_lifetimes_are_its_own()
    {
        var services = new ServiceCollection();
        services.AddScoped<Handler>();
        var registrations = new ScopedRegistrations(services);

        Assert.NotNull(registrations.CacheFor(services.BuildServiceProvider()));
        Assert.Null(registrations.CacheFor(new ForeignContainer()));
    }

    private static (LaneScope Lane, List<Handler> Created) LaneOver(Action<IServiceCollection> register)
    {
        var created = new List<Handler>();
        var services = new ServiceCollection();
        services.AddSingleton(created);
        register(services);
        var provider = services.BuildServiceProvider();

        // What a singleton is given as its IServiceProvider: the container's root scope.
        var root = provider.GetRequiredService<IServiceProvider>();
        var cache = new ScopedRegistrations(services).CacheFor(root);
        Assert.NotNull(cache);
        return (new LaneScope(root, HandlerScope.PerBatch, "g", NullLogger.Instance, cache), created);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference ResolveWeakly(LaneScope lane) => new(lane.Services.GetRequiredService<Unwatched>());

    private sealed class Unwatched : IDisposable
    {
        public void Dispose()
        {
        }
    }

    private sealed class Handler : IDisposable
    {
        public Handler(List<Handler> created) => created.Add(this);

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    private sealed class ForeignContainer : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
