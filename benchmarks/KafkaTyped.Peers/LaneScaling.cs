using System.Globalization;
using KafkaTyped.EndToEnd;
using Wolverine.Configuration;

namespace KafkaTyped.Peers;

/// <summary>
/// Handlers that wait on I/O: each awaits <c>Task.Delay(1)</c>, whose real cost here is measured at each concurrency
/// and used as the latency. KafkaTyped runs per-key lanes 1, 4, 16 and 64 per partition against the limit
/// partitions × lanes ÷ latency (and the balanced limit: the busiest lane decides when a run ends); Wolverine runs its
/// key-ordered setting (<c>ProcessConcurrentlyByKey</c>) at each slot count it accepts. Per-key order is checked.
/// </summary>
internal sealed class LaneScaling(HarnessOptions options, Report report)
{
    private static readonly int[] LaneCounts = [1, 4, 16, 64];

    public void Run(TypedPeer typed, WolverinePeer wolverine)
    {
        var count = options.IoMessages;
        var slots = Enum.GetValues<PartitionSlots>();
        Console.WriteLine($"# I/O-bound handlers: {count:N0} messages over {PeerEnvironment.KeyCount} keys, {PeerEnvironment.Partitions} partitions; Wolverine slot settings: {string.Join(", ", slots.Select(s => $"{s}={(int)s}"))}");
        var typedRuns = LaneCounts.ToDictionary(l => l, _ => new List<(double Rate, double Limit, double Balanced, int Violations, int Peak, double LatencyMs)>());
        var wolverineRuns = slots.ToDictionary(s => s, _ => new List<(double Rate, double Limit, int Violations, int Peak, double LatencyMs)>());
        var unordered = new List<(double Rate, double Limit, int Violations, int Peak, double LatencyMs)>();
        var cases = LaneCounts.Select(l => (Action<int>)(r => RunTyped(typed, l, r, typedRuns[l])))
            .Concat(slots.Select(s => (Action<int>)(r => RunWolverine(wolverine, s, r, wolverineRuns[s]))))
            .Append(r => RunWolverineUnordered(wolverine, r, unordered))
            .ToArray();
        for (var r = 0; r < options.Repeats; r++)
        {
            foreach (var run in r % 2 == 0 ? cases : cases.Reverse())
            {
                GC.Collect();
                run(r);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"## I/O-bound handlers, {count:N0} messages (medians of {options.Repeats}; min–max)");
        Console.WriteLine("| framework, setting | handlers allowed in flight | msg/s | Task.Delay(1) ms | limit (in flight ÷ latency) | of the limit | of the balanced limit | peak in flight | per-key order |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var (lanes, list) in typedRuns)
        {
            var rate = Stats.Median(list.Select(x => x.Rate));
            var limit = Stats.Median(list.Select(x => x.Limit));
            report.Lanes.Add(("KafkaTyped (lanes per partition)", PeerEnvironment.Partitions * lanes, rate, Stats.Median(list.Select(x => x.Balanced))));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| KafkaTyped, `MaxConcurrencyPerPartition = {lanes}` | {PeerEnvironment.Partitions * lanes} | {Stats.Spread(list.Select(x => x.Rate).ToList(), "N0")} | {Stats.Median(list.Select(x => x.LatencyMs)):F2} | {limit:N0} | {Stats.Median(list.Select(x => x.Rate / x.Limit)):F2} | **{Stats.Spread(list.Select(x => x.Rate / x.Balanced).ToList(), "F2")}** | {list.Max(x => x.Peak)} | {Order(list.Sum(x => x.Violations))} |"));
        }

        foreach (var (slot, list) in wolverineRuns)
        {
            var rate = Stats.Median(list.Select(x => x.Rate));
            var limit = Stats.Median(list.Select(x => x.Limit));
            report.Lanes.Add(("Wolverine (ProcessConcurrentlyByKey slots)", (int)slot, rate, limit));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Wolverine, `ProcessConcurrentlyByKey(PartitionSlots.{slot})` | {(int)slot} | {Stats.Spread(list.Select(x => x.Rate).ToList(), "N0")} | {Stats.Median(list.Select(x => x.LatencyMs)):F2} | {limit:N0} | **{Stats.Spread(list.Select(x => x.Rate / x.Limit).ToList(), "F2")}** | – | {list.Max(x => x.Peak)} | {Order(list.Sum(x => x.Violations))} |"));
        }

        if (unordered.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Wolverine, `BufferedInMemory().MaximumParallelMessages({PeerEnvironment.Partitions * 64})`, no key order | {PeerEnvironment.Partitions * 64} | {Stats.Spread(unordered.Select(x => x.Rate).ToList(), "N0")} | {Stats.Median(unordered.Select(x => x.LatencyMs)):F2} | {Stats.Median(unordered.Select(x => x.Limit)):N0} | **{Stats.Spread(unordered.Select(x => x.Rate / x.Limit).ToList(), "F2")}** | – | {unordered.Max(x => x.Peak)} | {Order(unordered.Sum(x => x.Violations))} (not promised) |"));
        }
    }

    /// <summary>Wolverine's other lever: a buffered listener running up to as many handlers as KafkaTyped's 64 lanes, with no key order.</summary>
    private void RunWolverineUnordered(WolverinePeer wolverine, int repeat, List<(double, double, int, int, double)> results)
    {
        const int Parallel = PeerEnvironment.Partitions * 64;
        var latency = DelayLatency.Measure(Parallel);
        var (rate, sink) = wolverine.RunIoBound(options.IoMessages, listener => listener.BufferedInMemory().MaximumParallelMessages(Parallel));
        var limit = Parallel / latency.TotalSeconds;
        results.Add((rate, limit, sink.OrderViolations, sink.PeakInFlight, latency.TotalMilliseconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  repeat {repeat + 1}: Wolverine buffered, {Parallel} parallel (no key order): {rate,8:N0} msg/s; Task.Delay(1) = {latency.TotalMilliseconds:F2} ms; limit {limit:N0} ({rate / limit:F2}); peak in flight {sink.PeakInFlight}; order violations {sink.OrderViolations}   (load {Stats.LoadAverage()})"));
    }

    private void RunTyped(TypedPeer typed, int lanes, int repeat, List<(double, double, double, int, int, double)> results)
    {
        var latency = DelayLatency.Measure(PeerEnvironment.Partitions * lanes);
        var (rate, io) = typed.RunLanes(lanes, options.IoMessages);
        var limit = PeerEnvironment.Partitions * lanes / latency.TotalSeconds;
        var balanced = options.IoMessages / (io.BusiestLane * latency.TotalSeconds);
        results.Add((rate, limit, balanced, io.OrderViolations, io.PeakInFlight, latency.TotalMilliseconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  repeat {repeat + 1}: KafkaTyped lanes {lanes,2}: {rate,8:N0} msg/s; Task.Delay(1) = {latency.TotalMilliseconds:F2} ms; limit {limit:N0}, balanced {balanced:N0} ({rate / balanced:F2}); peak in flight {io.PeakInFlight}; order violations {io.OrderViolations}   (load {Stats.LoadAverage()})"));
    }

    private void RunWolverine(WolverinePeer wolverine, PartitionSlots slots, int repeat, List<(double, double, int, int, double)> results)
    {
        var latency = DelayLatency.Measure((int)slots);
        var (rate, sink) = wolverine.RunIoBound(options.IoMessages, listener => listener.ProcessConcurrentlyByKey(slots));
        var limit = (int)slots / latency.TotalSeconds;
        results.Add((rate, limit, sink.OrderViolations, sink.PeakInFlight, latency.TotalMilliseconds));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  repeat {repeat + 1}: Wolverine slots {(int)slots,2}: {rate,8:N0} msg/s; Task.Delay(1) = {latency.TotalMilliseconds:F2} ms; limit {limit:N0} ({rate / limit:F2}); peak in flight {sink.PeakInFlight}; order violations {sink.OrderViolations}   (load {Stats.LoadAverage()})"));
    }

    private static string Order(int violations) => violations == 0 ? "kept" : $"{violations} violations";
}
