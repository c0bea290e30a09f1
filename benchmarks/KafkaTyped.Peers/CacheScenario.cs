using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using KafkaTyped.Embedded;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Table;

namespace KafkaTyped.Peers;

/// <summary>
/// A replica bootstrapping N entries from a 48-partition cache topic (KafkaTyped's <c>ReplicatedCache</c>, default
/// readers) vs a Streamiz <c>GlobalKTable</c> materialized in its in-memory store restoring the same topic vs a raw
/// consumer reading it (assigned to every partition, to the end offsets), order rotated each repeat; then the cost of
/// one lookup of a present key in each (a timed loop over random keys, not BenchmarkDotNet).
/// Streamiz stores the framed value bytes as they are (no Protobuf parse): its natural serde for an opaque value.
/// </summary>
internal sealed class CacheScenario(EmbeddedKafkaCluster cluster, HarnessOptions options)
{
    private const int Partitions = 48;
    private const string StoreName = "peers-store";

    public async Task RunAsync()
    {
        var entries = options.CacheEntries;
        var topic = $"cache-{Guid.NewGuid():N}";
        cluster.CreateTopic(topic, Partitions);
        await using var data = await CacheTopic.StartAsync(cluster);
        var filling = Stopwatch.StartNew();
        await data.FillAsync(topic, Partitions, entries);
        Console.WriteLine($"# cache: {entries:N0} entries over {Partitions} partitions written in {filling.Elapsed.TotalSeconds:F1} s (load {Stats.LoadAverage()})");

        var results = new Dictionary<string, List<double>> { ["raw consumer"] = [], ["KafkaTyped replica"] = [], ["Streamiz GlobalKTable (in-memory)"] = [] };
        var lookups = new Dictionary<string, List<double>> { ["KafkaTyped replica"] = [], ["Streamiz GlobalKTable (in-memory)"] = [] };
        var keys = Enumerable.Range(0, 1_000).Select(i => CacheTopic.Key(Random.Shared.Next(entries))).ToArray();
        var cases = new (string Name, Func<Task<(double Rate, double LookupNs)>> Run)[]
        {
            ("raw consumer", () => Task.FromResult((RawRead(topic, entries), double.NaN))),
            ("KafkaTyped replica", () => ReplicaAsync(data, topic, entries, keys)),
            ("Streamiz GlobalKTable (in-memory)", () => GlobalTableAsync(topic, entries, keys)),
        };
        for (var r = 0; r < options.Repeats; r++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                var (name, run) = cases[(i + r) % cases.Length];
                GC.Collect();
                var (rate, lookupNs) = await run();
                results[name].Add(rate);
                if (!double.IsNaN(lookupNs))
                {
                    lookups[name].Add(lookupNs);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  repeat {r + 1}: {name,-34} {rate,10:N0} entries/s; lookup {lookupNs:F0} ns   (load {Stats.LoadAverage()})"));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"## cache bootstrap, {entries:N0} entries, {Partitions} partitions (medians of {options.Repeats}; min–max)");
        Console.WriteLine("| reader | entries/s | vs raw | KafkaTyped vs this | lookup of a present key, ns |");
        Console.WriteLine("|---|---|---|---|---|");
        var raw = Stats.Median(results["raw consumer"]);
        var typed = Stats.Median(results["KafkaTyped replica"]);
        foreach (var (name, list) in results)
        {
            var rate = Stats.Median(list);
            var lookup = lookups.TryGetValue(name, out var l) && l.Count > 0 ? Stats.Spread(l, "F0") : "–";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Stats.Spread(list, "N0")} | {rate / raw:F2}× | {typed / rate:F2}× | {lookup} |"));
        }
    }

    private double RawRead(string topic, int expected)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = $"raw-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
            FetchQueueBackoffMs = 10,
        };
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        var watch = Stopwatch.StartNew();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = 0;
        var ended = new HashSet<int>();
        while (ended.Count < Partitions)
        {
            var record = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("raw consumer stalled");
            if (record.IsPartitionEOF)
            {
                ended.Add(record.Partition.Value);
            }
            else
            {
                read++;
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        RawPeer.Check(read, expected, "raw cache read");
        return expected / seconds;
    }

    private static async Task<(double, double)> ReplicaAsync(CacheTopic data, string topic, int expected, string[] keys)
    {
        var watch = Stopwatch.StartNew();
        await using var cache = data.NewCache(topic);
        await cache.StartAsync();
        await cache.WaitUntilReadyAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        RawPeer.Check(cache.Count, expected, "KafkaTyped replica");
        var lookupNs = TimeLookups(keys, key => cache.TryGet(key, out var value) && value is not null);
        return (expected / seconds, lookupNs);
    }

    private async Task<(double, double)> GlobalTableAsync(string topic, int expected, string[] keys)
    {
        var config = new StreamConfig<StringSerDes, ByteArraySerDes>
        {
            ApplicationId = $"peers-{Guid.NewGuid():N}",
            BootstrapServers = cluster.BootstrapServers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            StateDir = Path.Combine(Path.GetTempPath(), "peers-streamiz"),
            FetchWaitMaxMs = 10,
            Logger = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning)),
        };
        config.AddConfig("fetch.queue.backoff.ms", 10);
        var builder = new StreamBuilder();
        builder.GlobalTable(topic, InMemory.As<string, byte[]>(StoreName));
        var watch = Stopwatch.StartNew();
        using var stream = new KafkaStream(builder.Build(), config);
        var running = false;
        stream.StateChanged += (_, now) => running |= now == KafkaStream.State.RUNNING;
        await stream.StartAsync();
        HandledSink.WaitUntil(() => Volatile.Read(ref running), TimeSpan.FromMinutes(5));
        var store = stream.Store(StoreQueryParameters.FromNameAndType(StoreName, QueryableStoreTypes.KeyValueStore<string, byte[]>()));
        HandledSink.WaitUntil(() => store.ApproximateNumEntries() >= expected, TimeSpan.FromMinutes(5));
        var seconds = watch.Elapsed.TotalSeconds;
        RawPeer.Check((int)store.ApproximateNumEntries(), expected, "Streamiz GlobalKTable");
        var lookupNs = TimeLookups(keys, key => store.Get(key) is not null);
        stream.Dispose();
        return (expected / seconds, lookupNs);
    }

    /// <summary>Nanoseconds per lookup over 1,000 random present keys, repeated for about half a second.</summary>
    private static double TimeLookups(string[] keys, Func<string, bool> lookup)
    {
        foreach (var key in keys)
        {
            if (!lookup(key))
            {
                throw new InvalidOperationException($"{key} is missing");
            }
        }

        long calls = 0;
        var watch = Stopwatch.StartNew();
        while (watch.ElapsedMilliseconds < 500)
        {
            foreach (var key in keys)
            {
                lookup(key);
            }

            calls += keys.Length;
        }

        return watch.Elapsed.TotalNanoseconds / calls;
    }
}
