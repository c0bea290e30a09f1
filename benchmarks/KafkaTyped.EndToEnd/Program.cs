using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Embedded;
using KafkaTyped.Framing;
using KafkaTyped.EndToEnd;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// End-to-end harness: raw Confluent.Kafka vs KafkaTyped, producing and consuming on the embedded cluster, in one
// process, alternating the order of the cases (ABBA...) over several repeats, and reporting medians.
//   dotnet run -c Release --project benchmarks/KafkaTyped.EndToEnd -- [--messages 200000] [--repeats 3] [--only produce|consume|lanes] [--case part,part] [--io-messages 20000] [--lanes 1,4,16,64] [--lane-detail]
// HARNESS_COMMIT_BATCH=n sets the typed groups' CommitBatchSize (1000000000: periodic commits by time only, i.e. none in a run).
// HARNESS_THREADS=1 prints, per case, each thread's CPU as a share of the run (the poll thread, lanes, JIT, brokers).
var messages = ArgInt("--messages", 200_000);
var repeats = ArgInt("--repeats", 3);
const int KeyCount = 1_000;
const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

using var cluster = EmbeddedKafkaCluster.Start(3);
var payload = new BytesValue { Value = ByteString.CopyFrom(new byte[92]) };
var framed = new byte[100];
new ConfluentFramingWithoutRegistry().WriteHeader(new BenchSet("x"), 0, framed.AsSpan(0, 6));
payload.WriteTo(framed.AsSpan(6));
var keys = Enumerable.Range(0, KeyCount).Select(i => { var k = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(k, i); return k; }).ToArray();
var topicCounter = 0;

var produceCases = new (string Name, Func<Measurement> Run)[]
{
    ("raw Produce + handler", ProduceRaw),
    ("KafkaTyped Produce + handler", ProduceTyped),
    ("KafkaTyped Produce, no handler", ProduceTypedNoHandler),
};
var consumeCases = new (string Name, Func<Measurement> Run)[]
{
    ("raw consume loop", () => ConsumeRaw(parse: false)),
    ("raw consume loop + parse (reference)", () => ConsumeRaw(parse: true)),
    ("raw consume, parse on a second thread (reference)", ConsumeRawHandedOver),
    ("KafkaTyped dispatch, scope per batch (default)", () => ConsumeTyped(HandlerScope.PerBatch)),
    ("KafkaTyped dispatch, scope per batch, lanes only", () => ConsumeTyped(HandlerScope.PerBatch, handleOnPollThread: false)),
    ("KafkaTyped dispatch, scope per message", () => ConsumeTyped(HandlerScope.PerMessage)),
};

Console.WriteLine($"# KafkaTyped end-to-end: {messages:N0} messages × {repeats} repeats, 100-byte values, 4-byte keys ({KeyCount} distinct), 6 partitions, 3 embedded brokers");
Console.WriteLine($"# {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, librdkafka {Library.VersionString}");
var only = ArgString("--only");
if (only is not "lanes")
{
    Warmup();
}
if (only is null or "produce")
{
    Report("Producing", RunAlternating(produceCases));
}

if (only is null or "consume")
{
    Report("Consuming", RunAlternating(consumeCases));
}

if (only is "lanes")
{
    RunLanes();
}
return 0;

// I/O-bound handlers: each message awaits Task.Delay(1); per-key lanes 1, 4, 16, 64 with default settings otherwise.
// The limit is partitions × lanes ÷ the measured latency of Task.Delay(1) at that concurrency; the balanced limit
// replaces partitions × lanes by what the busiest lane had to handle (keys do not hash evenly onto lanes).
void RunLanes()
{
    var ioMessages = ArgInt("--io-messages", 20_000);
    int[] laneCounts = ArgString("--lanes") is { } listed ? [.. listed.Split(',').Select(int.Parse)] : [1, 4, 16, 64];
    var results = laneCounts.ToDictionary(l => l, _ => new List<(double Rate, double Limit, double Balanced, int Violations, int Peak, double LatencyMs)>());
    var laneDetail = args.Contains("--lane-detail");

    // Every case runs for a second or more: a group's start (each partition's first fetch, 10–90 ms measured) must stay
    // a small part of the run, and at 64 lanes 20,000 messages took half a second, the start up to a sixth of it.
    int MessagesFor(int lanes) => ioMessages * Math.Max(1, lanes / 16);
    Console.WriteLine($"# I/O-bound handlers: {ioMessages:N0} messages over {KeyCount} keys ({MessagesFor(64):N0} at 64 lanes), 6 partitions, each handler awaits Task.Delay(1)");
    for (var r = 0; r < repeats; r++)
    {
        var order = r % 2 == 0 ? laneCounts : laneCounts.Reverse().ToArray();
        foreach (var lanes in order)
        {
            GC.Collect();
            var latency = DelayLatency.Measure(6 * lanes);
            var workload = new IoWorkload(lanes);
            var topic = NewTopic("io-lanes");
            var count = MessagesFor(lanes);
            PrefillCount(topic, count);
            var target = new BenchTarget(topic, $"io-{topic}") { Io = workload };
            using var host = BuildHostFor(target, consumer: true, HandlerScope.PerBatch, lanes);
            host.StartAsync().GetAwaiter().GetResult();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (Volatile.Read(ref target.Handled) == 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(1);
            }

            var watch = Stopwatch.StartNew();
            var first = Volatile.Read(ref target.Handled);
            while (Volatile.Read(ref target.Handled) < count && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(5);
            }

            var rate = (count - first) / watch.Elapsed.TotalSeconds;
            host.StopAsync().GetAwaiter().GetResult();
            if (Volatile.Read(ref target.Handled) < count)
            {
                throw new InvalidOperationException($"lanes {lanes}: {target.Handled} of {count} handled");
            }

            var limit = 6 * lanes / latency.TotalSeconds;
            var balanced = count / (workload.BusiestLane * latency.TotalSeconds);
            results[lanes].Add((rate, limit, balanced, workload.OrderViolations, workload.PeakInFlight, latency.TotalMilliseconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  repeat {r + 1}: lanes {lanes,2}: {rate,9:N0} msg/s; Task.Delay(1) = {latency.TotalMilliseconds:F2} ms; limit {limit:N0}, balanced limit {balanced:N0} ({rate / balanced:F2}); peak in flight {workload.PeakInFlight}; order violations {workload.OrderViolations}"));
            if (laneDetail)
            {
                Console.WriteLine("    " + workload.DescribeBusiestLane());
            }
        }
    }

    Console.WriteLine();
    Console.WriteLine($"## I/O-bound handlers (medians of {repeats}; min–max)");
    Console.WriteLine("| lanes per partition | msg/s | Task.Delay(1) ms | limit | balanced limit | of balanced limit | peak in flight | per-key order |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var (lanes, list) in results)
    {
        var rate = MedianOf(list.Select(x => x.Rate));
        var ratio = MedianOf(list.Select(x => x.Rate / x.Balanced));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {lanes} | {rate:N0} ({list.Min(x => x.Rate):N0}–{list.Max(x => x.Rate):N0}) | {MedianOf(list.Select(x => x.LatencyMs)):F2} | {MedianOf(list.Select(x => x.Limit)):N0} | {MedianOf(list.Select(x => x.Balanced)):N0} | **{ratio:F2}** ({list.Min(x => x.Rate / x.Balanced):F2}–{list.Max(x => x.Rate / x.Balanced):F2}) | {list.Max(x => x.Peak)} | {(list.Sum(x => x.Violations) == 0 ? "kept" : $"{list.Sum(x => x.Violations)} violations")} |"));
    }
}

static double MedianOf(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

Dictionary<string, List<Measurement>> RunAlternating((string Name, Func<Measurement> Run)[] cases)
{
    // Comma-separated parts of case names; the first case kept stays the baseline of the ratios.
    if (ArgString("--case") is { } only)
    {
        var parts = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        cases = cases.Where(x => parts.Any(part => x.Name.Contains(part, StringComparison.OrdinalIgnoreCase))).ToArray();
    }

    var results = cases.ToDictionary(c => c.Name, _ => new List<Measurement>());
    for (var r = 0; r < repeats; r++)
    {
        var order = r % 2 == 0 ? cases : cases.Reverse().ToArray();
        foreach (var (name, run) in order)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var m = run();
            results[name].Add(m);
            Console.WriteLine($"  repeat {r + 1}: {name,-42} {m.MessagesPerSecond,12:N0} msg/s {m.CpuMicrosPerMessage,7:F2} µs CPU/msg ({m.DotNetCpuMicrosPerMessage:F2} .NET) {m.BytesPerMessage,8:N0} B/msg  gen0 {m.Gen0} gen1 {m.Gen1} GC pause {m.GcPauseMilliseconds:F1} ms");
        }
    }

    return results;
}

void Report(string title, Dictionary<string, List<Measurement>> results)
{
    Console.WriteLine();
    Console.WriteLine($"## {title} (medians of {repeats}; min–max msg/s)");
    // Besides the ratio of the medians, the median of the per-repeat ratios: each repeat runs the cases back to back
    // (ABBA), so a pair shares the machine's load of that moment, which the medians taken apart do not.
    // CPU: the whole process (librdkafka's client and mock-broker threads included) and its .NET threads alone.
    Console.WriteLine("| case | msg/s | CPU µs/msg | .NET threads' CPU µs/msg | B/msg | msg/s vs raw | per-repeat ratio, median (min–max) | CPU Δ ns/msg | B Δ /msg |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
    var baseline = results.First();
    var baseRate = Median(baseline.Value, m => m.MessagesPerSecond);
    var baseCpu = Median(baseline.Value, m => m.CpuMicrosPerMessage);
    var baseBytes = Median(baseline.Value, m => m.BytesPerMessage);
    foreach (var (name, list) in results)
    {
        var rate = Median(list, m => m.MessagesPerSecond);
        var cpu = Median(list, m => m.CpuMicrosPerMessage);
        var dotNetCpu = Median(list, m => m.DotNetCpuMicrosPerMessage);
        var bytes = Median(list, m => m.BytesPerMessage);
        var paired = list.Zip(baseline.Value, static (m, b) => m.MessagesPerSecond / b.MessagesPerSecond).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {rate:N0} ({list.Min(m => m.MessagesPerSecond):N0}–{list.Max(m => m.MessagesPerSecond):N0}) | {cpu:F2} | {dotNetCpu:F2} | {bytes:N0} | {rate / baseRate:F2}× | **{MedianOf(paired):F2}×** ({paired.Min():F2}–{paired.Max():F2}) | {Math.Round((cpu - baseCpu) * 1000):+0;-0;+0} | {Math.Round(bytes - baseBytes):+0;-0;+0} |"));
    }
}

Measurement ProduceRaw()
{
    var topic = NewTopic("raw-produce");
    using var producer = new ProducerBuilder<byte[], byte[]>(ProducerConfig()).Build();
    producer.Produce(topic, new Message<byte[], byte[]> { Key = keys[0], Value = framed }); // connect outside the measurement
    producer.Flush(TimeSpan.FromSeconds(10));
    var delivered = 0;
    Action<DeliveryReport<byte[], byte[]>> onDelivered = _ => Interlocked.Increment(ref delivered);
    var probe = Probe.Start();
    for (var i = 0; i < messages; i++)
    {
        producer.Produce(topic, new Message<byte[], byte[]> { Key = keys[i % KeyCount], Value = framed }, onDelivered);
    }

    producer.Flush(TimeSpan.FromMinutes(2));
    var m = probe.Stop(messages);
    Check(delivered, "raw produce");
    return m;
}

Measurement ProduceTyped()
{
    var topic = NewTopic("typed-produce");
    using var host = BuildHost(topic, "unused", consumer: false, HandlerScope.PerBatch);
    var producer = host.Services.GetRequiredService<BenchProducer>();
    producer.Produce(payload, 0, null); // connect and prepare outside the measurement, as raw does at Build
    producer.Flush(TimeSpan.FromSeconds(10));
    var delivered = 0;
    Action<DeliveryReport<int, BytesValue>> onDelivered = _ => Interlocked.Increment(ref delivered);
    var probe = Probe.Start();
    for (var i = 0; i < messages; i++)
    {
        producer.Produce(payload, i % KeyCount, onDelivered);
    }

    producer.Flush(TimeSpan.FromMinutes(2));
    var m = probe.Stop(messages);
    Check(delivered, "typed produce");
    return m;
}

Measurement ProduceTypedNoHandler()
{
    // No delivery handler: value and key go through reused per-thread arrays. Deliveries are checked on the broker.
    var topic = NewTopic("typed-produce-nh");
    using var host = BuildHost(topic, "unused", consumer: false, HandlerScope.PerBatch);
    var producer = host.Services.GetRequiredService<BenchProducer>();
    producer.Produce(payload, 0, null);
    producer.Flush(TimeSpan.FromSeconds(10));
    var probe = Probe.Start();
    for (var i = 0; i < messages; i++)
    {
        producer.Produce(payload, i % KeyCount, null);
    }

    producer.Flush(TimeSpan.FromMinutes(2));
    var m = probe.Stop(messages);
    Check((int)(HighWatermarkSum(topic) - 1), "typed produce without handler");
    return m;
}

long HighWatermarkSum(string topic) => SumOverPartitions(topic, static w => w.High.Value);

long SumOverPartitions(string topic, Func<WatermarkOffsets, long> select)
{
    using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig($"wm-{topic}")).Build();
    long sum = 0;
    for (var p = 0; p < 6; p++)
    {
        sum += select(consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)));
    }

    return sum;
}

Measurement ConsumeRaw(bool parse)
{
    var topic = Prefill("raw-consume");
    var config = ConsumerConfig($"raw-{topic}");
    using var consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
    consumer.Subscribe(topic);
    var (probe, count) = RawLoop(consumer, record =>
    {
        if (parse)
        {
            // The typed side's unavoidable extra: reading the framing and parsing the message.
            _ = BytesValue.Parser.ParseFrom(record.Message.Value.AsSpan(6));
        }

        return 1;
    });
    var m = probe.Stop(messages);
    consumer.Close();
    Check(count, "raw consume");
    return m;
}

// The loop of the raw cases: polls until `messages` records were taken (take returns how many it took), the clock
// starting at the first record.
(Probe Probe, int Count) RawLoop(IConsumer<byte[], byte[]> consumer, Func<ConsumeResult<byte[], byte[]>, int> take)
{
    var count = 0;
    Probe? probe = null;
    var deadline = DateTime.UtcNow.AddMinutes(2);
    while (count < messages && DateTime.UtcNow < deadline)
    {
        var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
        if (record is null)
        {
            continue;
        }

        probe ??= Probe.Start();
        count += take(record);
    }

    return (probe ?? throw new InvalidOperationException("no record arrived"), count);
}

// The least any engine that keeps polling apart from handling pays on this machine: the raw loop hands its records in
// bursts to one worker thread, which parses them (no DI, no offsets, no commits). Bounded like a partition's buffer.
Measurement ConsumeRawHandedOver()
{
    var topic = Prefill("raw-handover");
    using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig($"raw-{topic}")).Build();
    consumer.Subscribe(topic);
    var bursts = Channel.CreateBounded<List<ConsumeResult<byte[], byte[]>>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    var parsed = 0;
    var worker = Task.Run(async () =>
    {
        await foreach (var burst in bursts.Reader.ReadAllAsync())
        {
            foreach (var record in burst)
            {
                _ = BytesValue.Parser.ParseFrom(record.Message.Value.AsSpan(6));
            }

            Volatile.Write(ref parsed, parsed + burst.Count);
        }
    });
    var (probe, _) = RawLoop(consumer, record =>
    {
        var burst = new List<ConsumeResult<byte[], byte[]>>(500) { record };
        while (burst.Count < 500 && consumer.Consume(TimeSpan.Zero) is { } next)
        {
            burst.Add(next);
        }

        bursts.Writer.WriteAsync(burst).AsTask().GetAwaiter().GetResult();
        return burst.Count;
    });
    bursts.Writer.Complete();
    worker.GetAwaiter().GetResult();
    var m = probe.Stop(messages);
    consumer.Close();
    Check(Volatile.Read(ref parsed), "raw consume handed over");
    return m;
}

// handleOnPollThread: ConsumerGroupOptions.HandleOnPollThread (null: the default, on with at most two processors).
Measurement ConsumeTyped(HandlerScope scope, bool? handleOnPollThread = null)
{
    var topic = Prefill("typed-consume");
    using var host = BuildHostFor(new BenchTarget(topic, $"typed-{topic}") { HandleOnPollThread = handleOnPollThread, Expected = messages }, consumer: true, scope, lanes: 1);
    var target = host.Services.GetRequiredService<BenchTarget>();
    host.StartAsync().GetAwaiter().GetResult();
    // Blocking waits, not polling: the harness thread stays off the two cores while the group joins and while it runs.
    _ = target.FirstHandled.Wait(TimeSpan.FromMinutes(2));
    var probe = Probe.Start();
    var first = Volatile.Read(ref target.Handled);
    _ = target.AllHandled.Wait(TimeSpan.FromMinutes(2));
    var m = probe.Stop(messages - first);
    Check(Volatile.Read(ref target.Handled), "typed consume");
    host.StopAsync().GetAwaiter().GetResult();
    return m;
}

IHost BuildHost(string topic, string group, bool consumer, HandlerScope scope) => BuildHostFor(new BenchTarget(topic, group), consumer, scope, lanes: 1);

IHost BuildHostFor(BenchTarget target, bool consumer, HandlerScope scope, int lanes)
{
    // Without the host's watch for appsettings changes: up to .NET 10 it watches the content root (the working directory)
    // recursively on Linux, and run from the repository its thousand watched directories made every other gen0
    // collection of the consume run a gen1 (docs/performance.md, "the host's file watcher"). The raw cases have no host.
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [NoConfigReload] });
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["KafkaTyped:BootstrapServers"] = cluster.BootstrapServers,
        ["KafkaTyped:ProducerSettings:linger.ms"] = "5",
        ["KafkaTyped:ProducerSettings:queue.buffering.max.messages"] = "1000000",
    });
    foreach (var pair in (Environment.GetEnvironmentVariable("CONSUMER_SETTINGS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
    {
        var kv = pair.Split('=');
        builder.Configuration[$"KafkaTyped:ConsumerSettings:{kv[0]}"] = kv[1];
    }

    builder.Logging.ClearProviders();
    if (Environment.GetEnvironmentVariable("HARNESS_LOG") == "1")
    {
        builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ");
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("KafkaTyped", LogLevel.Debug);
    }

    // These hand-built test sets carry no registrable schema: frame without a registry (the default is the registry).
    builder.Services.AddSingleton<IPayloadCodec, ConfluentFramingWithoutRegistry>();
    builder.Services.AddKafkaTypedCore(builder.Configuration);
    builder.Services.AddSingleton(target);
    builder.Services.AddKafkaTypedProducer<BenchProducer, BenchProducer>();
    if (consumer)
    {
        // Scoped, as the generated AddKafkaTyped registers handlers.
        builder.Services.AddScoped<NoOpHandler>();
        builder.Services.Configure<ConsumerGroupOptions>(target.Group, o =>
        {
            o.HandlerScope = scope;
            o.MaxConcurrencyPerPartition = lanes;
            o.HandleOnPollThread = target.HandleOnPollThread;
            if (Environment.GetEnvironmentVariable("HARNESS_COMMIT_BATCH") is { } commitBatch)
            {
                o.CommitBatchSize = int.Parse(commitBatch, CultureInfo.InvariantCulture);
            }
        });
        builder.Services.AddKafkaTypedConsumer<BenchDispatcher>();
    }

    return builder.Build();
}

string Prefill(string prefix)
{
    var topic = NewTopic(prefix);
    PrefillCount(topic, messages);
    return topic;
}

void PrefillCount(string topic, int count)
{
    using var producer = new ProducerBuilder<byte[], byte[]>(ProducerConfig()).Build();
    for (var i = 0; i < count; i++)
    {
        producer.Produce(topic, new Message<byte[], byte[]> { Key = keys[i % KeyCount], Value = framed });
    }

    producer.Flush(TimeSpan.FromMinutes(2));
    RequireAllRetained(topic, count);
}

// The embedded cluster keeps at most 5 MiB of batches per partition and drops the oldest beyond that
// (docs/embedded-cluster.md): a consumer would then wait for records that no longer exist. Said at once, with the fix.
void RequireAllRetained(string topic, int count)
{
    var retained = SumOverPartitions(topic, static w => w.High.Value - w.Low.Value);
    if (retained < count)
    {
        throw new InvalidOperationException(
            $"The embedded cluster kept {retained:N0} of the {count:N0} messages written to {topic}: it keeps at most 5 MiB per partition and drops the oldest. " +
            $"Use --messages {retained * 9 / 10:N0} or fewer.");
    }
}

void Warmup()
{
    // JIT and tiering for both sides before anything is measured. One round is not enough: a method reaches tier 1
    // only after its call count, then instrumented code (TieredPGO), then another count, and the runtime postpones
    // tier-up while new methods are still being compiled (every host builds its own DI resolvers). Measured with one
    // round, the first repeats ran partly unoptimized code: CPU per message fell from 7.1 to 3.0 µs over three repeats
    // of the typed case (raw: 3.1 to 1.4 µs). Three rounds and a pause for the background compiler bring both sides
    // to steady state.
    var saved = messages;
    messages = 20_000;
    for (var round = 0; round < 3; round++)
    {
        ProduceRaw();
        ProduceTyped();
        ProduceTypedNoHandler();
        ConsumeRaw(parse: false);
        ConsumeRaw(parse: true);
        ConsumeTyped(HandlerScope.PerBatch);
        ConsumeTyped(HandlerScope.PerMessage);
    }

    Thread.Sleep(1_000);
    messages = saved;
}

string NewTopic(string prefix)
{
    var topic = $"{prefix}-{Interlocked.Increment(ref topicCounter)}";
    cluster.CreateTopic(topic, 6);
    return topic;
}

ProducerConfig ProducerConfig()
{
    var config = new ProducerConfig
    {
        BootstrapServers = cluster.BootstrapServers,
        EnableIdempotence = true,
        Acks = Acks.All,
        LingerMs = 5,
        Partitioner = Partitioner.Murmur2Random,
        QueueBufferingMaxMessages = 1_000_000,
    };
    EmbeddedClientTuning.ApplyIfEmbedded(config);
    return config;
}

ConsumerConfig ConsumerConfig(string group)
{
    // The same client settings KafkaTyped's consumers get (KafkaCluster.CreateConsumerConfig): with librdkafka's default
    // fetch.queue.backoff.ms of 1 s a backlog read is capped near queued.min.messages per second, which would measure
    // that cap instead of the client.
    var config = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = true };
    config.Set("fetch.queue.backoff.ms", "10");
    foreach (var pair in (Environment.GetEnvironmentVariable("CONSUMER_SETTINGS") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
    {
        var kv = pair.Split('=');
        config.Set(kv[0], kv[1]);
    }
    EmbeddedClientTuning.ApplyIfEmbedded(config);
    return config;
}

void Check(int count, string what)
{
    if (count < messages)
    {
        throw new InvalidOperationException($"{what}: {count} of {messages} messages.");
    }
}

int ArgInt(string name, int fallback) => ArgString(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

string? ArgString(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static double Median(List<Measurement> list, Func<Measurement, double> selector)
{
    var sorted = list.Select(selector).Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

/// <summary>One measured run.</summary>
internal readonly record struct Measurement(double MessagesPerSecond, double CpuMicrosPerMessage, double DotNetCpuMicrosPerMessage, double BytesPerMessage, int Gen0, int Gen1, double GcPauseMilliseconds);

/// <summary>
/// Wall clock, process CPU and the .NET threads' share of it (<see cref="ThreadCpu"/>), allocated bytes, gen0 and gen1
/// collections (gen0 counts include gen1) and GC pause time between Start and Stop.
/// </summary>
internal readonly struct Probe
{
    private readonly long started;
    private readonly TimeSpan cpu;
    private readonly long allocated;
    private readonly int gen0;
    private readonly int gen1;
    private readonly TimeSpan paused;
    private readonly Dictionary<int, (string Name, long Nanoseconds)> threads;

    private Probe(long started, TimeSpan cpu, long allocated, int gen0, int gen1, TimeSpan paused, Dictionary<int, (string Name, long Nanoseconds)> threads)
    {
        this.threads = threads;
        this.started = started;
        this.cpu = cpu;
        this.allocated = allocated;
        this.gen0 = gen0;
        this.gen1 = gen1;
        this.paused = paused;
    }

    public static Probe Start()
    {
        // Reading every thread's counters takes a moment: before the clock starts.
        var threads = ThreadCpu.Sample();
        return new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(true), GC.CollectionCount(0), GC.CollectionCount(1), GC.GetTotalPauseDuration(), threads);
    }

    public Measurement Stop(int count)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var now = ThreadCpu.Sample();
        var dotNet = ThreadCpu.DotNetNanoseconds(threads, now);
        if (Environment.GetEnvironmentVariable("HARNESS_THREADS") == "1")
        {
            // Each thread name's share of the wall clock: how busy the poll thread, the lanes, the JIT and the brokers were.
            var wall = elapsed.TotalMilliseconds * 1e6;
            Console.WriteLine("    threads: " + string.Join(", ", ThreadCpu.ByName(threads, now).Where(static p => p.Value > 0).OrderByDescending(static p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value / wall:P0}"))));
        }

        var bytes = GC.GetTotalAllocatedBytes(true) - allocated;
        return new Measurement(count / elapsed.TotalSeconds, cpuUsed.TotalMicroseconds / count, dotNet / 1000.0 / count, (double)bytes / count, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
    }
}
