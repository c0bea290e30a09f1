using System.Globalization;
using Confluent.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.Peers;

// Side by side with the peers (issue 20): raw Confluent.Kafka, KafkaTyped and Wolverine on one embedded cluster, the
// same topic layout (6 partitions, 3 brokers, 1,000 keys) and the same payloads, cases alternated (ABBA) over repeats.
//   dotnet run -c Release --project benchmarks/KafkaTyped.Peers -- [--only throughput|produce|consume|transit|lanes|cache|charts] [--sizes 100,1024]
//     [--repeats 5] [--messages 200000] [--warmup 50000] [--rate 1000] [--transit-messages 5000] [--io-messages 10000] [--linger 5]
//     [--charts docs/performance] [--peers raw,typed,wolverine] [--cache-entries 1000000]
// Without --only every scenario runs except the cache (which fills its own 1,000,000-entry topic): --only cache.
// --only charts redraws every chart from the medians the runs left beside them (docs/performance/peers-*.csv).
var options = HarnessOptions.Parse(args);
using var cluster = EmbeddedKafkaCluster.Start(3);
var env = new PeerEnvironment(cluster, options.LingerMs);
var report = new Report(options);
var typed = new TypedPeer(env);
var wolverine = new WolverinePeer(env);
IPeer[] peers = new IPeer[] { new RawPeer(env), typed, wolverine }.Where(p => options.Peers is null || options.Peers.Split(',').Any(n => p.Name.Contains(n, StringComparison.OrdinalIgnoreCase))).ToArray();

Console.WriteLine($"# Peers: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, librdkafka {Library.VersionString}, 3 embedded brokers, {PeerEnvironment.Partitions} partitions, {PeerEnvironment.KeyCount} keys, linger.ms {options.LingerMs}, idempotent acks=all");
Console.WriteLine($"# load average at start: {Stats.LoadAverage()}");

var producing = options.Runs("throughput") || options.Runs("produce");
var consuming = options.Runs("throughput") || options.Runs("consume");
if (producing || consuming)
{
    foreach (var size in options.Sizes)
    {
        var payload = new Payload(size);
        // Produced records are counted by delivery reports or watermarks, so the cluster's retention limits only what a
        // consumer can read back: the consume runs take as many as fit.
        var count = options.MessagesFor(size);
        foreach (var peer in peers)
        {
            // JIT, tiering and Wolverine's code generation before anything is measured. A short warm-up leaves the
            // engine's methods at tier 0 for the first measured runs on a loaded machine (the tiering thread starves),
            // which cost KafkaTyped's consumer (more code on the hot path) far more than the raw loop.
            peer.Produce(payload, options.WarmUp);
            peer.Consume(payload, Math.Min(options.WarmUp, count));
        }

        if (producing)
        {
            report.Throughput("produce", payload, options.Messages, Alternate(peers, peer => peer.Produce(payload, options.Messages)));
        }

        if (consuming)
        {
            report.Throughput("consume and handle", payload, count, Alternate(peers, peer => peer.Consume(payload, count)));
        }
    }
}

if (options.Runs("transit"))
{
    foreach (var size in options.Sizes)
    {
        var payload = new Payload(size);
        foreach (var peer in peers)
        {
            peer.Transit(payload, options.Rate, Math.Min(500, options.TransitMessages));
        }

        report.Transit(payload, Alternate(peers, peer => peer.Transit(payload, options.Rate, options.TransitMessages)));
    }
}

if (options.Runs("lanes"))
{
    new LaneScaling(options, report).Run(typed, wolverine);
}

if (options.Runs("cache"))
{
    await new CacheScenario(cluster, options).RunAsync();
}

report.WriteCharts();
Console.WriteLine($"# load average at end: {Stats.LoadAverage()}");
return 0;

// Runs every peer once per repeat, the order reversed every other repeat (ABC CBA ABC …).
Dictionary<string, List<T>> Alternate<T>(IPeer[] all, Func<IPeer, T> run)
    where T : notnull
{
    var results = all.ToDictionary(p => p.Name, _ => new List<T>());
    for (var r = 0; r < options.Repeats; r++)
    {
        foreach (var peer in r % 2 == 0 ? all : all.Reverse())
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var result = run(peer);
            results[peer.Name].Add(result);
            Console.WriteLine($"  repeat {r + 1}: {peer.Name,-20} {Report.Describe(result)}   (load {Stats.LoadAverage()})");
        }
    }

    return results;
}

/// <summary>Command-line options.</summary>
internal sealed record HarnessOptions(string? Only, int[] Sizes, int Repeats, int Messages, int Rate, int TransitMessages, int IoMessages, int LingerMs, string Charts, string? Peers, int CacheEntries, int WarmUp)
{
    /// <summary>The embedded cluster keeps at most 5 MiB per partition: stay under 4 MiB per partition per run.</summary>
    public int MessagesFor(int size) => Math.Min(Messages, 4 * 1024 * 1024 * PeerEnvironment.Partitions / (size + 4));

    public bool Runs(string scenario) => Only is null ? scenario is not ("cache" or "charts") : Only.Split(',').Contains(scenario);

    public static HarnessOptions Parse(string[] args)
    {
        string? Arg(string name) => Array.IndexOf(args, name) is var i && i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        int Int(string name, int fallback) => Arg(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new HarnessOptions(
            Arg("--only"),
            (Arg("--sizes") ?? "100,1024").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
            Int("--repeats", 5),
            Int("--messages", 200_000),
            Int("--rate", 1_000),
            Int("--transit-messages", 5_000),
            Int("--io-messages", 10_000),
            Int("--linger", 5),
            Arg("--charts") ?? "docs/performance",
            Arg("--peers"),
            Int("--cache-entries", 1_000_000),
            Int("--warmup", 50_000));
    }
}
