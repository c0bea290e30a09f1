using System.Diagnostics;
using System.Globalization;

namespace KafkaTyped.Peers;

/// <summary>One measured throughput run.</summary>
internal readonly record struct Measurement(double MessagesPerSecond, double CpuMicrosPerMessage, double BytesPerMessage);

/// <summary>Wall clock, process CPU and allocated bytes between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal readonly struct Probe
{
    private readonly long started;
    private readonly TimeSpan cpu;
    private readonly long allocated;

    private Probe(long started, TimeSpan cpu, long allocated)
    {
        this.started = started;
        this.cpu = cpu;
        this.allocated = allocated;
    }

    public static Probe Start() => new(Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(true));

    public Measurement Stop(int count)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var bytes = GC.GetTotalAllocatedBytes(true) - allocated;
        return new Measurement(count / elapsed.TotalSeconds, cpuUsed.TotalMicroseconds / count, (double)bytes / count);
    }
}

/// <summary>Medians, spreads and percentiles of repeated runs.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile of an already sorted array.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public static string Spread(IReadOnlyCollection<double> values, string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{Median(values).ToString(format, CultureInfo.InvariantCulture)} ({values.Min().ToString(format, CultureInfo.InvariantCulture)}–{values.Max().ToString(format, CultureInfo.InvariantCulture)})");

    /// <summary>The 1-, 5- and 15-minute load averages, as the machine reports them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
