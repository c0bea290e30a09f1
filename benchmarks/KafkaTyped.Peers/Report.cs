using System.Globalization;

namespace KafkaTyped.Peers;

/// <summary>Prints each scenario's table (markdown, for docs/performance.md) and keeps the medians for the charts.</summary>
internal sealed class Report(HarnessOptions options)
{
    private readonly List<(string Kind, string Size, string Peer, double Rate)> throughput = [];
    private readonly List<(string Size, string Peer, double P50, double P99)> transit = [];

    public List<(string Series, double Concurrency, double Rate, double Limit)> Lanes { get; } = [];

    public static string Describe(object result) => result switch
    {
        Measurement m => string.Create(CultureInfo.InvariantCulture, $"{m.MessagesPerSecond,10:N0} msg/s {m.CpuMicrosPerMessage,7:F2} µs CPU/msg {m.BytesPerMessage,8:N0} B/msg"),
        double[] sorted => string.Create(CultureInfo.InvariantCulture, $"transit p50 {Stats.Percentile(sorted, 50):F2} ms, p99 {Stats.Percentile(sorted, 99):F2} ms, max {sorted[^1]:F2} ms"),
        _ => result.ToString() ?? "",
    };

    public void Throughput(string kind, Payload payload, int count, Dictionary<string, List<Measurement>> results)
    {
        Console.WriteLine();
        Console.WriteLine($"## {kind}, {payload.Label}, {count:N0} messages (medians of {options.Repeats}; min–max)");
        Console.WriteLine("| framework | msg/s | CPU µs/msg | B/msg | vs raw | KafkaTyped vs this |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var raw = Stats.Median(results.First().Value.Select(m => m.MessagesPerSecond));
        var typed = results.TryGetValue("KafkaTyped", out var t) ? Stats.Median(t.Select(m => m.MessagesPerSecond)) : double.NaN;
        foreach (var (peer, list) in results)
        {
            var rate = Stats.Median(list.Select(m => m.MessagesPerSecond));
            throughput.Add((kind, payload.Label, peer, rate));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {peer} | {Stats.Spread(list.Select(m => m.MessagesPerSecond).ToList(), "N0")} | {Stats.Spread(list.Select(m => m.CpuMicrosPerMessage).ToList(), "F2")} | {Stats.Median(list.Select(m => m.BytesPerMessage)):N0} | {rate / raw:F2}× | {typed / rate:F2}× |"));
        }
    }

    public void Transit(Payload payload, Dictionary<string, List<double[]>> results)
    {
        Console.WriteLine();
        Console.WriteLine($"## produce → handle transit, {payload.Label}, {options.TransitMessages:N0} messages at {options.Rate:N0} msg/s (medians of {options.Repeats} runs' percentiles; min–max)");
        Console.WriteLine("| framework | p50 ms | p99 ms | max ms | p50 vs raw |");
        Console.WriteLine("|---|---|---|---|---|");
        var rawP50 = Stats.Median(results.First().Value.Select(s => Stats.Percentile(s, 50)));
        foreach (var (peer, runs) in results)
        {
            var p50 = runs.Select(s => Stats.Percentile(s, 50)).ToList();
            var p99 = runs.Select(s => Stats.Percentile(s, 99)).ToList();
            var max = runs.Select(s => s[^1]).ToList();
            transit.Add((payload.Label, peer, Stats.Median(p50), Stats.Median(p99)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {peer} | {Stats.Spread(p50, "F2")} | {Stats.Spread(p99, "F2")} | {Stats.Spread(max, "F1")} | {Stats.Median(p50) / rawP50:F2}× |"));
        }
    }

    /// <summary>
    /// Draws the charts of this run's scenarios, each from its medians, which are kept beside the chart as a CSV; with
    /// <c>--only charts</c> every chart is redrawn from the CSVs alone.
    /// </summary>
    public void WriteCharts()
    {
        Directory.CreateDirectory(options.Charts);
        var redraw = options.Runs("charts");
        Persist("peers-throughput.csv", throughput, x => [x.Item1, x.Item2, x.Item3, Num(x.Item4)], f => (f[0], f[1], f[2], Parse(f[3])), redraw);
        Persist("peers-transit.csv", transit, x => [x.Item1, x.Item2, Num(x.Item3), Num(x.Item4)], f => (f[0], f[1], Parse(f[2]), Parse(f[3])), redraw);
        Persist("peers-lanes.csv", Lanes, x => [x.Item1, Num(x.Item2), Num(x.Item3), Num(x.Item4)], f => (f[0], Parse(f[1]), Parse(f[2]), Parse(f[3])), redraw);
        if (throughput.Count > 0)
        {
            Charts.GroupedBars(Path.Combine(options.Charts, "peers-throughput"), "Throughput on the embedded cluster (median msg/s)", "msg/s",
                throughput.Select(x => ($"{x.Kind}\n{x.Size}", x.Peer, x.Rate)).ToList());
        }

        if (transit.Count > 0)
        {
            Charts.GroupedBars(Path.Combine(options.Charts, "peers-transit"), "Produce → handle transit at a fixed rate below saturation (median of runs)", "ms",
                transit.SelectMany(x => new[] { ($"p50 {x.Size}", x.Peer, x.P50), ($"p99 {x.Size}", x.Peer, x.P99) }).ToList());
        }

        if (Lanes.Count > 0)
        {
            Charts.LaneScaling(Path.Combine(options.Charts, "peers-lanes"), Lanes);
        }
    }

    private void Persist<T>(string file, List<T> rows, Func<T, string[]> write, Func<string[], T> read, bool redraw)
    {
        var path = Path.Combine(options.Charts, file);
        if (redraw && rows.Count == 0 && File.Exists(path))
        {
            rows.AddRange(File.ReadAllLines(path).Skip(1).Select(line => read(line.Split(';'))));
        }
        else if (rows.Count > 0)
        {
            File.WriteAllLines(path, rows.Select(r => string.Join(';', write(r))).Prepend("# medians; see docs/performance.md (Peers)"));
        }
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
