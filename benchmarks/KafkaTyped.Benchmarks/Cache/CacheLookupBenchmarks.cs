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
    private CacheBenchmarkData data = null!;
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
        data = CacheBenchmarkData.StartAsync(cluster).GetAwaiter().GetResult();
        data.ProduceAsync(topic, Entries).GetAwaiter().GetResult();
        cache = data.StartCacheAsync(topic).GetAwaiter().GetResult();
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
        data.Registry.Dispose();
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
