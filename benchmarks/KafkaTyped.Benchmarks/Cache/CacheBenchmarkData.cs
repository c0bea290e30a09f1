using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Cache;
using KafkaTyped.Hosting;
using KafkaTyped.Embedded.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Benchmarks.Cache;

/// <summary>A cache of string values, for measurements.</summary>
public sealed class StringCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, StringValue>(settings);

/// <summary>Fills cache topics fast and starts caches on them; shared by the lookup benchmark and the cache harness.</summary>
internal sealed class CacheBenchmarkData(string bootstrap, EmbeddedSchemaRegistry registry)
{
    // KafkaTyped's services as an application has them: the caches write through their producer connection and codec.
    private readonly IServiceProvider services = new ServiceCollection()
        .AddLogging()
        .AddKafkaTypedCore(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = bootstrap,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = registry.Url,
            ["KafkaTyped:ProducerSettings:linger.ms"] = "1",
        }).Build())
        .BuildServiceProvider();

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
        var codec = services.GetRequiredService<IPayloadCodec>();
        var set = writer.OperationSet;
        var headerLength = AddedHeaderLength = codec.GetHeaderLength(set, (int)CacheOperationKind.Added);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 20, EnableIdempotence = true, Acks = Acks.All }).Build();
        for (var i = 0; i < entries; i++)
        {
            var message = new Message<byte[], byte[]>
            {
                Key = System.Text.Encoding.UTF8.GetBytes(Key(i)),
                Value = Frame(codec, set, headerLength, new StringValue { Value = $"price-{i}" }),
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

    /// <summary>The framing header's length of the Added records <see cref="ProduceAsync"/> wrote.</summary>
    public int AddedHeaderLength { get; private set; }

    public StringCache NewCache(string topic, int? readers = null) => new(new ReplicatedCacheSettings
    {
        Topic = topic,
        Readers = readers,
        Services = services,
    });

    /// <summary>An Added operation framed exactly as the cache frames it.</summary>
    private static byte[] Frame(IPayloadCodec codec, KafkaTyped.GeneratedCode.MessageSetDefinition set, int headerLength, StringValue value)
    {
        var payloadSize = CacheOperationCodec<StringValue>.PayloadSize(value, out var valueSize);
        var buffer = new byte[headerLength + payloadSize];
        codec.WriteHeader(set, (int)CacheOperationKind.Added, buffer.AsSpan(0, headerLength));
        CacheOperationCodec<StringValue>.WritePayload(value, valueSize, buffer.AsSpan(headerLength));
        return buffer;
    }

    public async Task<StringCache> StartCacheAsync(string topic)
    {
        var cache = NewCache(topic);
        await cache.StartAsync();
        await cache.WaitUntilReadyAsync();
        return cache;
    }
}
