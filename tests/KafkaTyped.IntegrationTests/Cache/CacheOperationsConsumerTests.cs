using System.Collections.Concurrent;
using KafkaTyped.Cache;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.IntegrationTests.Cache;

/// <summary>Another consumer group (an audit log) reads the cache's operations with an ordinary handler.</summary>
public sealed class CacheOperationsConsumerTests
{
    [Fact]
    public async Task An_audit_group_sees_added_updated_and_deleted_in_order_without_tombstones()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KafkaTyped:Embedded:Brokers"] = "1" });
        builder.Services.AddReplicatedCache<AuditedCache, string, Price>(builder.Configuration, "audited-prices", 2, static (settings, _) => new AuditedCache(settings));
        builder.Services.AddCacheOperationsConsumer<AuditedCache, string, Price, AuditLog>(builder.Configuration, "audit", "audited-prices", 2);
        var seen = new ConcurrentQueue<CacheOperation<string, Price>>();
        builder.Services.AddSingleton(seen);
        using var host = builder.Build();

        await host.StartAsync();
        try
        {
            var cache = host.Services.GetRequiredService<AuditedCache>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await cache.WaitUntilReadyAsync(timeout.Token);
            await cache.SetAsync("fig", new Price("fig", 10, "EUR"), timeout.Token);
            await cache.SetAsync("fig", new Price("fig", 12, "EUR"), timeout.Token);
            await cache.DeleteAsync("fig", timeout.Token);

            while (seen.Count < 3)
            {
                await Task.Delay(50, timeout.Token);
            }

            await Task.Delay(500, timeout.Token); // a tombstone, if it were delivered, would arrive right behind
            var operations = seen.ToArray();
            Assert.Equal([CacheOperationKind.Added, CacheOperationKind.Updated, CacheOperationKind.Deleted], operations.Select(o => o.Kind));
            Assert.All(operations, o => Assert.Equal("fig", o.Key));
            Assert.Equal(new Price("fig", 12, "EUR"), operations[1].Value);
            Assert.Null(operations[2].Value);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed class AuditedCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, Price>(settings);

    private sealed class AuditLog(ConcurrentQueue<CacheOperation<string, Price>> seen) : ICacheOperationHandler<string, Price>
    {
        public ValueTask HandleAsync(CacheOperation<string, Price> operation, MessageContext context, CancellationToken cancellationToken)
        {
            Assert.Equal("audit", context.GroupId);
            seen.Enqueue(operation);
            return ValueTask.CompletedTask;
        }
    }
}
