using System.Diagnostics;
using System.Globalization;

namespace KafkaTyped.Benchmarks.Codec;

/// <summary>
/// The generator benchmark's work without BenchmarkDotNet, measured in ways a loaded machine does not distort: bytes
/// allocated per run (deterministic) and CPU time per run (time on a core, not waiting for one), after warm-up runs
/// that pay for JIT. Also the workload for <c>valgrind --tool=callgrind</c>: run it with 0 runs and with n, and the
/// difference in instructions divided by n is the cost of one run.
/// </summary>
internal static class GeneratorRunsHarness
{
    public const string Switch = "--generator-runs";

    private const int WarmupRuns = 3;

    /// <summary>Runs <c>--generator-runs cold|rerun n</c>: n cold runs on fresh drivers, or n re-runs after an unrelated edit.</summary>
    public static void Run(string kind, string count)
    {
        int n = int.Parse(count, CultureInfo.InvariantCulture);
        var benchmarks = new CodecGeneratorBenchmarks();
        benchmarks.Setup();
        Func<object> run = kind == "cold" ? benchmarks.Cold_run_200_messages : benchmarks.Rerun_after_unrelated_edit;
        for (int i = 0; i < Math.Min(n, WarmupRuns); i++)
        {
            run();
        }

        GC.Collect();
        var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var wall = new double[n];
        for (int i = 0; i < n; i++)
        {
            long start = Stopwatch.GetTimestamp();
            run();
            wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime - cpuBefore;
        if (n > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind}: {n} measured run(s) after {Math.Min(n, WarmupRuns)} warm-up; per run {allocated / n / 1024.0 / 1024.0:F2} MB allocated, {cpu.TotalMilliseconds / n:F1} ms CPU (all threads), wall median {Median(wall):F1} ms (min {wall.Min():F1}, max {wall.Max():F1})"));
        }
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
