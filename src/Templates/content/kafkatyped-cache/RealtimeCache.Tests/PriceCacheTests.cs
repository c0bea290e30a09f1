using KafkaTyped.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RealtimeCache.Tests;

/// <summary>One instance of the service on an embedded Kafka cluster, started once for the tests of this class.</summary>
public sealed class CacheHost : IAsyncLifetime
{
    public KafkaTestHost Kafka { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Kafka = await KafkaTestHost.StartAsync(builder => builder.Services.AddKafkaTyped(builder.Configuration));

    public async Task DisposeAsync() => await Kafka.DisposeAsync();
}

public sealed class PriceCacheTests(CacheHost host) : IClassFixture<CacheHost>
{
    private KafkaTestHost Kafka => host.Kafka;

    private static string NewSku() => $"sku-{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task A_price_written_in_one_instance_is_read_in_another()
    {
        var sku = NewSku();
        await Kafka.GetRequiredService<PriceCache>().SetAsync(sku, new Price(sku, 45, "EUR", DateTimeOffset.UtcNow));

        // A second instance joins the first one's cluster and rebuilds its replica from the topic.
        await using var second = await KafkaTestHost.StartAsync(
            builder => builder.Services.AddKafkaTyped(builder.Configuration),
            options => options.BootstrapServers = Kafka.BootstrapServers);

        Assert.True(second.GetRequiredService<PriceCache>().TryGet(sku, out var price));
        Assert.Equal("0.45 EUR", price.Display);
    }

    [Fact]
    public async Task The_console_commands_set_show_and_delete_a_price()
    {
        var sku = NewSku();
        var output = new StringWriter();

        // An instance as the console program runs it, joining the test host's cluster.
        await using var instance = await CacheInstance.StartAsync("test", [$"--KafkaTyped:BootstrapServers={Kafka.BootstrapServers}"], LogLevel.Warning, CancellationToken.None);
        await instance.ExecuteAsync($"set {sku} 0.60", output, CancellationToken.None);
        Assert.True(instance.Cache.TryGet(sku, out var price));
        Assert.Equal(60, price.Cents);

        await instance.ExecuteAsync($"del {sku}", output, CancellationToken.None);
        Assert.False(instance.Cache.TryGet(sku, out _));
        Assert.Contains($"[test] set {sku} = 0.60 EUR", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"[test] deleted {sku}", output.ToString(), StringComparison.Ordinal);
    }
}
