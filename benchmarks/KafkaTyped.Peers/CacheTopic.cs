using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Cache;
using KafkaTyped.Embedded;
using KafkaTyped.Embedded.SchemaRegistry;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Peers;

/// <summary>A cache of string values, as an application declares one.</summary>
public sealed class PeerStringCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, StringValue>(settings);

/// <summary>
/// A cache topic of N entries written fast: one entry is written by a real cache (which registers its schema and frames
/// the record), and its value bytes are then produced raw under N keys. (The cache's framing is internal to KafkaTyped,
/// so this harness copies a real record instead of framing its own.)
/// </summary>
internal sealed class CacheTopic(EmbeddedKafkaCluster cluster, EmbeddedSchemaRegistry registry) : IAsyncDisposable
{
    private readonly IServiceProvider services = new ServiceCollection()
        .AddLogging()
        .AddKafkaTypedCore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = cluster.BootstrapServers,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = registry.Url,
        }).Build())
        .BuildServiceProvider();

    public static string Key(int i) => $"sku-{i:D7}";

    public static async Task<CacheTopic> StartAsync(EmbeddedKafkaCluster cluster) => new(cluster, await EmbeddedSchemaRegistry.StartAsync(cluster));

    public PeerStringCache NewCache(string topic) => new(new ReplicatedCacheSettings { Topic = topic, Services = services });

    public async Task FillAsync(string topic, int partitions, int entries)
    {
        await using (var writer = NewCache(topic))
        {
            await writer.StartAsync();
            await writer.WaitUntilReadyAsync();
            await writer.SetAsync(Key(0), new StringValue { Value = "price-0000000" });
        }

        var value = FirstValue(topic, partitions);
        // A local queue that holds every entry at once, so no send ever finds it full.
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 20, EnableIdempotence = true, Acks = Acks.All, QueueBufferingMaxMessages = entries + 1 };
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        for (var i = 1; i < entries; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(Key(i)), Value = value });
        }

        if (producer.Flush(TimeSpan.FromMinutes(3)) != 0)
        {
            throw new InvalidOperationException("not every cache record was delivered");
        }
    }

    private byte[] FirstValue(string topic, int partitions)
    {
        var config = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = $"copy-{topic}", EnableAutoCommit = false };
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var record = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("the cache's first record never arrived");
        return record.Message.Value;
    }

    public async ValueTask DisposeAsync() => await registry.DisposeAsync();
}
