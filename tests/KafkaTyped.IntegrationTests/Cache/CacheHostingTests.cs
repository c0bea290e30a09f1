using KafkaTyped.Cache;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.IntegrationTests.Cache;

/// <summary>A cache registered in DI runs on the embedded default: cluster, registry and topic are made for it.</summary>
public sealed class CacheHostingTests
{
    [Fact]
    public async Task A_hosted_cache_starts_on_the_embedded_default_and_reports_readiness()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:Embedded:Brokers"] = "1",
            ["KafkaTyped:Caches:hosted-prices:Readers"] = "3",
        });
        builder.Services.AddReplicatedCache<HostedPriceCache, string, Price>(builder.Configuration, "hosted-prices", 3, static (settings, _) => new HostedPriceCache(settings));
        builder.Services.AddHealthChecks().AddReplicatedCaches();
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            var cache = host.Services.GetRequiredService<HostedPriceCache>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await cache.WaitUntilReadyAsync(timeout.Token);
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(timeout.Token);

            await cache.SetAsync("apple", new Price("apple", 45, "EUR"), timeout.Token);

            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.True(cache.TryGet("apple", out var apple));
            Assert.Equal(45, apple.Cents);
            Assert.True(host.Services.GetRequiredService<KafkaCluster>().IsEmbedded);
            Assert.Equal("compact", cache.OperationSet.TopicConfigs!["cleanup.policy"]);
            Assert.Equal(3, cache.ReaderCount); // from KafkaTyped:Caches:hosted-prices:Readers
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Registering_a_cache_twice_keeps_one_replica()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        services.AddReplicatedCache<HostedPriceCache, string, Price>(configuration, "twice", 1, static (settings, _) => new HostedPriceCache(settings));
        services.AddReplicatedCache<HostedPriceCache, string, Price>(configuration, "twice", 1, static (settings, _) => new HostedPriceCache(settings));

        Assert.Single(services, d => d.ServiceType == typeof(HostedPriceCache));
        Assert.Single(services, d => d.ServiceType == typeof(IReplicatedCacheStatus));
        Assert.Single(services, d => d.ImplementationType?.Name.StartsWith("ReplicatedCacheHostedService", StringComparison.Ordinal) == true);
    }

    private sealed class HostedPriceCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, Price>(settings);
}
