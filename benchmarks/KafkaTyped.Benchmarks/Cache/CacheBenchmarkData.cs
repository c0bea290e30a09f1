using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Cache;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.SchemaRegistry.Embedded;

namespace KafkaTyped.Benchmarks.Cache;

/// <summary>A cache of string values, for measurements.</summary>
public sealed class StringCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, StringValue>(settings);

/// <summary>Fills cache topics fast and starts caches on them; shared by the lookup benchmark and the cache harness.</summary>
internal sealed class CacheBenchmarkData(string bootstrap, EmbeddedSchemaRegistry registry)
{
    public static string Key(int i) => $"sku-{i:D7}";

    public static async Task<CacheBenchmarkData> StartAsync(KafkaTyped.Embedded.EmbeddedKafkaCluster cluster) =>
        new(cluster.BootstrapServers, await EmbeddedSchemaRegistry.StartAsync(cluster));

    public EmbeddedSchemaRegistry Registry => registry;

    /// <summary>
    /// Writes <paramref name="entries"/> Added records with a raw producer, framed exactly as the cache frames them
    /// (the set is registered by a first cache instance on the empty topic).
    /// </summary>
    public async Task ProduceAsync(string topic, int entries)
    {
        await using var writer = await StartCacheAsync(topic);
        var set = writer.Registered!;
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 20, EnableIdempotence = true, Acks = Acks.All }).Build();
        for (var i = 0; i < entries; i++)
        {
            var message = new Message<byte[], byte[]>
            {
                Key = System.Text.Encoding.UTF8.GetBytes(Key(i)),
                Value = CacheRecordFormat.Encode(set, CacheOperationKind.Added, new StringValue { Value = $"price-{i}" }),
            };
            while (true)
            {
                try
                {
                    producer.Produce(topic, message);
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) != 0)
        {
            throw new InvalidOperationException("not every record was delivered");
        }
    }

    public StringCache NewCache(string topic, int? readers = null) => new(new ReplicatedCacheSettings
    {
        Topic = topic,
        Readers = readers,
        Producer = new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 1 },
        Consumer = new ConsumerConfig { BootstrapServers = bootstrap, FetchWaitMaxMs = 10 },
        SchemaRegistry = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = [registry.Url] }),
    });

    public async Task<StringCache> StartCacheAsync(string topic)
    {
        var cache = NewCache(topic);
        await cache.StartAsync();
        await cache.WaitUntilReadyAsync();
        return cache;
    }
}
