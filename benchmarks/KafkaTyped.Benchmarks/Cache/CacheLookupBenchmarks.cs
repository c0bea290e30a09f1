using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Cache;
using KafkaTyped.Embedded;

namespace KafkaTyped.Benchmarks.Cache;

/// <summary>
/// ReplicatedCache.TryGet against a plain ConcurrentDictionary lookup of the same keys, in the same run. The cache is
/// filled through Kafka (the embedded cluster) by bootstrapping from a pre-produced topic.
/// </summary>
[MemoryDiagnoser]
public class CacheLookupBenchmarks
{
    private const int LookupsPerInvoke = 1024;

    private EmbeddedKafkaCluster cluster = null!;
    private StringCache cache = null!;
    private ConcurrentDictionary<string, StringValue> dictionary = null!;
    private string[] probes = null!;

    [Params(100_000, 1_000_000)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        cluster = EmbeddedKafkaCluster.Start(1);
        const string topic = "lookup";
        cluster.CreateTopic(topic, 48);
        CacheBenchmarkData.Produce(cluster.BootstrapServers, topic, Entries);
        cache = CacheBenchmarkData.StartCache(cluster.BootstrapServers, topic).GetAwaiter().GetResult();
        if (cache.Count != Entries)
        {
            throw new InvalidOperationException($"cache holds {cache.Count} of {Entries} entries");
        }

        dictionary = new ConcurrentDictionary<string, StringValue>(cache); // same (default) comparer as the cache
        var random = new Random(7);
        probes = Enumerable.Range(0, LookupsPerInvoke).Select(_ => CacheBenchmarkData.Key(random.Next(Entries))).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cache.DisposeAsync().AsTask().GetAwaiter().GetResult();
        cluster.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = LookupsPerInvoke)]
    public int ConcurrentDictionaryTryGetValue()
    {
        var found = 0;
        foreach (var key in probes)
        {
            if (dictionary.TryGetValue(key, out _))
            {
                found++;
            }
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = LookupsPerInvoke)]
    public int ReplicatedCacheTryGet()
    {
        var found = 0;
        foreach (var key in probes)
        {
            if (cache.TryGet(key, out _))
            {
                found++;
            }
        }

        return found;
    }
}

public sealed class StringCache(ReplicatedCacheSettings settings) : ReplicatedCache<string, StringValue>(settings);

internal static class CacheBenchmarkData
{
    public static string Key(int i) => $"sku-{i:D7}";

    /// <summary>Writes <paramref name="entries"/> Added records (framed like the cache writes them) with a raw producer.</summary>
    public static void Produce(string bootstrap, string topic, int entries)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 20, EnableIdempotence = true, Acks = Acks.All }).Build();
        for (var i = 0; i < entries; i++)
        {
            var key = Key(i);
            var value = CacheRecordFormat.Encode(1, CacheOperationKind.Added, new StringValue { Value = $"price-{i}" });
            while (true)
            {
                try
                {
                    producer.Produce(topic, new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(key), Value = value });
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

    public static async Task<StringCache> StartCache(string bootstrap, string topic)
    {
        var cache = new StringCache(new ReplicatedCacheSettings
        {
            Topic = topic,
            Producer = new ProducerConfig { BootstrapServers = bootstrap },
            Consumer = new ConsumerConfig { BootstrapServers = bootstrap, FetchWaitMaxMs = 10 },
            RegisterSchemaAsync = static (_, _) => ValueTask.FromResult(1),
        });
        await cache.StartAsync();
        await cache.WaitUntilReadyAsync();
        return cache;
    }
}
