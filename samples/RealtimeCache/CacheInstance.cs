using KafkaTyped.Cache;
using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RealtimeCache;

/// <summary>One running instance of the service: a host with the replicated price cache.</summary>
internal sealed class CacheInstance : IAsyncDisposable
{
    private readonly IHost host;

    private CacheInstance(string name, IHost host)
    {
        Name = name;
        this.host = host;
        Cache = host.Services.GetRequiredService<PriceCache>();
    }

    public string Name { get; }

    public PriceCache Cache { get; }

    /// <summary>The Kafka bootstrap servers this instance uses (the embedded cluster's, when it hosts one).</summary>
    public string BootstrapServers => host.Services.GetRequiredService<KafkaCluster>().BootstrapServers;

    /// <summary>The embedded Schema Registry's URL, when this instance hosts one.</summary>
    public string? RegistryUrl => host.Services.GetRequiredService<SchemaRegistryProvider>().EmbeddedUrl;

    public static async Task<CacheInstance> StartAsync(string name, string[] configurationArgs, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(configurationArgs);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddKafkaTyped(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        var instance = new CacheInstance(name, host);
        await instance.Cache.WaitUntilReadyAsync(cancellationToken);
        return instance;
    }

    /// <summary>One line with every entry, sorted by key, for people and for comparing instances.</summary>
    public string View() =>
        string.Join(", ", Cache.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value.Display}"));

    /// <summary>Runs one console command against the cache; returns false for <c>quit</c>.</summary>
    public async Task<bool> ExecuteAsync(string line, TextWriter output, CancellationToken cancellationToken)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (parts)
        {
            case ["set", var sku, var amount] when decimal.TryParse(amount, System.Globalization.CultureInfo.InvariantCulture, out var price):
                await Cache.SetAsync(sku, new Price(sku, (long)(price * 100), "EUR", DateTimeOffset.UtcNow), cancellationToken);
                output.WriteLine($"[{Name}] set {sku} = {price:0.00} EUR");
                return true;
            case ["del", var sku]:
                output.WriteLine(await Cache.DeleteAsync(sku, cancellationToken) ? $"[{Name}] deleted {sku}" : $"[{Name}] {sku} is not in the cache");
                return true;
            case ["show"]:
                output.WriteLine($"STATE {Name}: {View()}");
                return true;
            case ["quit"]:
                return false;
            default:
                output.WriteLine($"[{Name}] commands: set <sku> <price> | del <sku> | show | quit");
                return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
