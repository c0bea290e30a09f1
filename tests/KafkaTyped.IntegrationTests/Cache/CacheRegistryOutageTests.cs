using System.Buffers.Binary;
using Confluent.Kafka;
using KafkaTyped.Cache;
using KafkaTyped.IntegrationTests.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging;
using static KafkaTyped.IntegrationTests.Cache.CacheTestKit;

namespace KafkaTyped.IntegrationTests.Cache;

/// <summary>A replica reading a record written with a schema version it has not seen while the registry is unreachable.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class CacheRegistryOutageTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task A_replica_waits_for_the_registry_instead_of_skipping_a_record_with_an_unseen_schema_id()
    {
        var topic = fixture.NewTopic("cache-outage", partitions: 1);
        var scratch = fixture.NewTopic("cache-outage-src", partitions: 1);
        var registry = await fixture.SharedRegistryAsync();
        using var proxy = new SwitchableTcpProxy(registry.Url);
        var logs = new CapturingLoggerProvider();
        await using var replica = new LoggedPriceCache(
            new ReplicatedCacheSettings
            {
                Topic = topic,
                Name = "PriceCache",
                Partitions = 1,
                Services = Services(fixture, proxy.Url),
            },
            logs.CreateLogger("cache"));
        await replica.StartAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await replica.WaitUntilReadyAsync(timeout.Token);
        }

        await replica.SetAsync("apple", Price("apple", 1));

        // A record as another cache writes it, then framed with a newer version of the operation schema (a new id).
        byte[] key, value;
        await using (var writer = await StartAsync(fixture, scratch))
        {
            await writer.SetAsync("pear", Price("pear", 7));
            var written = Assert.Single(RawKafka.ReadAll(fixture, scratch, 1, 1, TimeSpan.FromSeconds(20)));
            (key, value) = (written.Message.Key, written.Message.Value);
        }

        using var client = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url] });
        var v1 = await client.GetLatestSchemaAsync(topic + "-value");
        var v2Id = await client.RegisterSchemaAsync(topic + "-value", new Schema(v1.Schema.Text + "\nmessage OutageProbe {\n  string note = 1;\n}\n", Schema.Protobuf, v1.Schema.References));
        Assert.NotEqual(v1.Id, v2Id);
        Assert.Equal(v1.Id, BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)));
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1, 4), v2Id);

        proxy.Stop();
        using (var raw = new ProducerBuilder<byte[], byte[]>(fixture.ProducerConfig()).Build())
        {
            await raw.ProduceAsync(topic, new Message<byte[], byte[]> { Key = key, Value = value });
        }

        await EventuallyAsync(() => logs.Entries.Count(e => e.EventId == 5004) >= 2, "the replica reported the registry outage twice");
        Assert.False(replica.TryGet("pear", out _));

        proxy.Start();
        await EventuallyAsync(() => replica.TryGet("pear", out var pear) && pear.Cents == 7, "the record was applied after the registry came back");
        Assert.True(replica.TryGet("apple", out var apple) && apple.Cents == 1);
    }

    private sealed class LoggedPriceCache(ReplicatedCacheSettings settings, ILogger logger) : ReplicatedCache<string, Price>(settings, logger);
}
