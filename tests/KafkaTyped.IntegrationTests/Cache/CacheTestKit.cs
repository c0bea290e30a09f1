using System.Collections.Concurrent;
using KafkaTyped.Cache;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.IntegrationTests.Cache;

internal sealed class PriceCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, Price>(settings);

internal static class CacheTestKit
{
    public static async Task<PriceCache> StartAsync(EmbeddedClusterFixture fixture, string topic, int? readers = null)
    {
        var cache = await CreateAsync(fixture, topic, readers);
        await cache.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await cache.WaitUntilReadyAsync(timeout.Token);
        return cache;
    }

    private static readonly ConcurrentDictionary<string, IServiceProvider> ServicesByTarget = new(StringComparer.Ordinal);

    public static async Task<PriceCache> CreateAsync(EmbeddedClusterFixture fixture, string topic, int? readers = null) =>
        new(new ReplicatedCacheSettings
        {
            Topic = topic,
            Readers = readers,

            // One cache name for every test topic: the same operation schema (and id) everywhere, so a record copied
            // from one topic to another (the compaction test) reads the same.
            Name = "PriceCache",
            Services = Services(fixture, (await fixture.SharedRegistryAsync()).Url),
        });

    /// <summary>
    /// KafkaTyped's services as an application has them (<c>AddKafkaTypedCore</c>), on the fixture's cluster and the given
    /// registry: caches built by hand run on them. One provider per cluster and registry, kept for the test run.
    /// </summary>
    public static IServiceProvider Services(EmbeddedClusterFixture fixture, string registryUrl) =>
        ServicesByTarget.GetOrAdd($"{fixture.BootstrapServers}|{registryUrl}", static (_, target) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["KafkaTyped:BootstrapServers"] = target.Bootstrap,
                ["KafkaTyped:SchemaRegistry:Urls:0"] = target.Registry,
                ["KafkaTyped:SchemaRegistry:RetryBackoff"] = "00:00:00.020",
                ["KafkaTyped:ProducerSettings:linger.ms"] = "1",
            }).Build();
            return new ServiceCollection().AddLogging().AddKafkaTypedCore(configuration).BuildServiceProvider();
        }, (Bootstrap: fixture.BootstrapServers, Registry: registryUrl));

    public static Price Price(string sku, long cents) => new(sku, cents, "EUR");

    public static Dictionary<string, long> State(PriceCache cache) =>
        cache.ToDictionary(e => e.Key, e => e.Value.Cents, StringComparer.Ordinal);

    public static async Task EventuallyAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
