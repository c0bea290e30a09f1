using KafkaTyped.Cache;
using KafkaTyped.IntegrationTests.Infrastructure;

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

    public static async Task<PriceCache> CreateAsync(EmbeddedClusterFixture fixture, string topic, int? readers = null) =>
        new(new ReplicatedCacheSettings
        {
            Topic = topic,
            Readers = readers,

            // One cache name for every test topic: the same operation schema (and id) everywhere, so a record copied
            // from one topic to another (the compaction test) reads the same.
            Name = "PriceCache",
            Producer = fixture.ProducerConfig(),
            Consumer = fixture.ConsumerConfig(),
            SchemaRegistry = await fixture.SharedRegistryClientAsync(),
        });

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
