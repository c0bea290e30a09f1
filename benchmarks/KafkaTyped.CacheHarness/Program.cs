using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Benchmarks.Cache;
using KafkaTyped.Cache;
using KafkaTyped.Embedded;

// End-to-end measurements of the replicated cache on the embedded cluster (see docs/performance.md):
//   bootstrap  — a new replica (default readers, and the other of one or two readers) reading N entries vs a raw
//                Confluent.Kafka consumer reading the same records, and vs a cache written by hand on that raw consumer
//                (decode, parse, insert), order rotated each repeat
//   latency    — write on one instance → visible on another, at a fixed offered rate
// Usage: dotnet run -c Release --project benchmarks/KafkaTyped.CacheHarness -- [entries=1000000] [repeats=3] [latencyWrites=2000]
KafkaTyped.Embedded.Native.KafkaNativeLibrary.EnsureLoaded();
var entries = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var repeats = args.Length > 1 ? int.Parse(args[1]) : 3;
var latencyWrites = args.Length > 2 ? int.Parse(args[2]) : 2000;
const int partitions = 48;

Console.WriteLine($"cache harness: {Environment.ProcessorCount} cores, .NET {Environment.Version}, librdkafka {Library.VersionString}, entries {entries}, partitions {partitions}");
using var cluster = EmbeddedKafkaCluster.Start(1);
const string topic = "bootstrap";
cluster.CreateTopic(topic, partitions);
var data = await CacheBenchmarkData.StartAsync(cluster);
var produce = Stopwatch.StartNew();
await data.ProduceAsync(topic, entries);
Console.WriteLine($"produced {entries} records in {produce.Elapsed.TotalSeconds:F1} s");

var defaultReaders = Math.Clamp(Environment.ProcessorCount / 2, 1, 4);
var otherReaders = defaultReaders == 1 ? 2 : 1;
var raw = new List<double>();
var handWritten = new List<double>();
var cache = new List<double>();
var other = new List<double>();
for (var r = 0; r < repeats; r++)
{
    // Rotate which side goes first.
    var order = new Func<Task>[]
    {
        () => { raw.Add(Harness.RawRead(cluster.BootstrapServers, topic, entries)); return Task.CompletedTask; },
        () => { handWritten.Add(Harness.RawCache(cluster.BootstrapServers, topic, entries, data.AddedHeaderLength)); return Task.CompletedTask; },
        async () => cache.Add(await Harness.CacheBootstrap(data, topic, entries, readers: null)),
        async () => other.Add(await Harness.CacheBootstrap(data, topic, entries, readers: otherReaders)),
    };
    for (var i = 0; i < order.Length; i++)
    {
        await order[(i + r) % order.Length]();
    }

    Console.WriteLine($"repeat {r + 1}: raw {raw[^1]:N0} records/s, hand-written cache {handWritten[^1]:N0} entries/s, cache (default, {defaultReaders} reader(s)) {cache[^1]:N0} entries/s, cache ({otherReaders} reader(s)) {other[^1]:N0} entries/s");
}

Console.WriteLine($"bootstrap median: raw {Harness.Median(raw):N0} records/s (min–max {raw.Min():N0}–{raw.Max():N0})");
Console.WriteLine($"  hand-written cache on the raw consumer: {Harness.Median(handWritten):N0} entries/s, ratio {Harness.Median(handWritten) / Harness.Median(raw):F2} (min–max {handWritten.Min():N0}–{handWritten.Max():N0})");
Console.WriteLine($"  cache, default readers ({defaultReaders}): {Harness.Median(cache):N0} entries/s, ratio {Harness.Median(cache) / Harness.Median(raw):F2}, vs hand-written {Harness.Median(cache) / Harness.Median(handWritten):F2} (min–max {cache.Min():N0}–{cache.Max():N0})");
Console.WriteLine($"  cache, {otherReaders} reader(s): {Harness.Median(other):N0} entries/s, ratio {Harness.Median(other) / Harness.Median(raw):F2}, vs hand-written {Harness.Median(other) / Harness.Median(handWritten):F2} (min–max {other.Min():N0}–{other.Max():N0})");

if (latencyWrites > 0)
{
    await Harness.Latency(cluster, data, latencyWrites);
}

await data.Registry.DisposeAsync();

internal static class Harness
{
    public static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>A raw consumer assigned to every partition from the beginning, reading up to the end offsets.</summary>
    public static double RawRead(string bootstrap, string topic, int expected) => RawLoop(bootstrap, topic, expected, static _ => { });

    /// <summary>
    /// The cache a user would write on the raw consumer: one loop that decodes each key, parses each value and puts it in
    /// a presized <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/>, as the replica does.
    /// </summary>
    public static double RawCache(string bootstrap, string topic, int expected, int headerLength)
    {
        var entries = new System.Collections.Concurrent.ConcurrentDictionary<string, StringValue>(Environment.ProcessorCount, expected);
        var rate = RawLoop(bootstrap, topic, expected, record =>
            entries[Encoding.UTF8.GetString(record.Message.Key)] = CacheOperationCodec<StringValue>.DecodeValue(record.Message.Value.AsSpan(headerLength)));
        return entries.Count == expected ? rate : throw new InvalidOperationException($"hand-written cache holds {entries.Count} of {expected}");
    }

    private static double RawLoop(string bootstrap, string topic, int expected, Action<ConsumeResult<byte[], byte[]>> apply)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = $"raw-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
            EnablePartitionEof = true,

            // The same client settings the replica's consumers get from KafkaTyped (see KafkaCluster.CreateConsumerConfig
            // and RecordFields.ChooseForReplica).
            FetchQueueBackoffMs = 10,
            ConsumeResultFields = "none",
        }).Build();
        var partitions = Enumerable.Range(0, 48).Select(p => new TopicPartition(topic, p)).ToList();
        var stopwatch = Stopwatch.StartNew();
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));
        var read = 0;
        var eof = new HashSet<int>();
        while (eof.Count < partitions.Count)
        {
            var record = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("raw consumer stalled");
            if (record.IsPartitionEOF)
            {
                eof.Add(record.Partition.Value);
                continue;
            }

            apply(record);
            read++;
        }

        var elapsed = stopwatch.Elapsed.TotalSeconds;
        if (read != expected)
        {
            throw new InvalidOperationException($"raw consumer read {read} of {expected}");
        }

        return read / elapsed;
    }

    public static async Task<double> CacheBootstrap(CacheBenchmarkData data, string topic, int expected, int? readers)
    {
        // CACHE_HARNESS_LATENCY_MODE=SustainedLowLatency (an application-level choice) is set for the replica's bootstrap only.
        var previousMode = System.Runtime.GCSettings.LatencyMode;
        if (Environment.GetEnvironmentVariable("CACHE_HARNESS_LATENCY_MODE") is { Length: > 0 } mode)
        {
            System.Runtime.GCSettings.LatencyMode = System.Enum.Parse<System.Runtime.GCLatencyMode>(mode);
        }

        try
        {
            return await CacheBootstrapCore(data, topic, expected, readers);
        }
        finally
        {
            System.Runtime.GCSettings.LatencyMode = previousMode;
        }
    }

    private static async Task<double> CacheBootstrapCore(CacheBenchmarkData data, string topic, int expected, int? readers)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var cache = data.NewCache(topic, readers);
        await cache.StartAsync();
        var started = stopwatch.Elapsed.TotalSeconds;
        await cache.WaitUntilReadyAsync();
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"  cache: StartAsync {started * 1000:F0} ms (producer, metadata, end offsets), then reading {elapsed - started:F2} s");
        if (cache.Count != expected)
        {
            throw new InvalidOperationException($"cache holds {cache.Count} of {expected}");
        }

        return expected / elapsed;
    }

    public static async Task Latency(EmbeddedKafkaCluster cluster, CacheBenchmarkData data, int writes)
    {
        const string topic = "latency";
        cluster.CreateTopic(topic, 6);
        await using var writer = data.NewCache(topic);
        await using var reader = data.NewCache(topic);
        await writer.StartAsync();
        await reader.StartAsync();
        await writer.WaitUntilReadyAsync();
        await reader.WaitUntilReadyAsync();

        var sentAt = new long[writes];
        var latencies = new double[writes];
        var seen = 0;
        var done = new TaskCompletionSource();
        reader.Changed += change =>
        {
            var i = int.Parse(change.Key.AsSpan(1));
            latencies[i] = Stopwatch.GetElapsedTime(sentAt[i]).TotalMilliseconds;
            if (Interlocked.Increment(ref seen) == writes)
            {
                done.TrySetResult();
            }
        };

        // A fixed offered rate of 500 writes/s, each awaited for read-your-writes on the writer as an application would.
        var interval = TimeSpan.FromMilliseconds(2);
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < writes; i++)
        {
            var due = interval * i;
            if (clock.Elapsed < due)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            sentAt[i] = Stopwatch.GetTimestamp();
            pending.Add(writer.SetAsync($"k{i}", new StringValue { Value = "v" }).AsTask());
        }

        await Task.WhenAll(pending);
        await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var slowest = latencies.Select((l, i) => (l, i)).OrderByDescending(x => x.l).Take(5).Select(x => $"#{x.i}={x.l:F0}ms");
        Console.WriteLine($"slowest writes: {string.Join(", ", slowest)}");
        Array.Sort(latencies);
        Console.WriteLine($"write→visible on another instance ({writes} writes at 500/s, linger.ms 1, fetch.wait.max.ms 10): p50 {latencies[writes / 2]:F1} ms, p99 {latencies[(int)(writes * 0.99)]:F1} ms, max {latencies[^1]:F1} ms");
    }
}
