using System.Diagnostics;
using System.Text;

namespace KafkaTyped.IntegrationTests.Chaos;

/// <summary>
/// The chaos suite's short run, what <c>eng/chaos.sh --seed 19 --no-time-bounds</c> runs: separate processes (a host with the
/// embedded cluster and registry, a producer, consumer-group members with 1 and 4 lanes, replicated-cache writers and
/// replicas) while every kind of fault is injected once: <c>kill -9</c> of members, writers and replicas, a broker and
/// the group coordinator going away, the Schema Registry going away behind a proxy, members joining and leaving,
/// request errors and a slow broker. The runner checks the invariants and prints a table (docs/reliability.md).
/// </summary>
public sealed class ChaosShortRunTests
{
    /// <summary>The seed of the short run: it fixes which fault comes when and whom it hits.</summary>
    public const long Seed = 19;

    /// <summary>
    /// Bounds the whole run. The runner bounds each of its own waits (a start, a catch-up, a command) and fails with
    /// what it waited for; this only catches a runner that hangs regardless, and fails with everything it printed.
    /// </summary>
    private static readonly TimeSpan RunPatience = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Kill_9_broker_registry_and_coordinator_outages_and_rebalances_lose_nothing_reorder_nothing_and_caches_converge()
    {
        var runner = FindRunner();
        var work = Directory.CreateTempSubdirectory("kafkatyped-chaos-test-");
        var start = new ProcessStartInfo("dotnet")
        {
            // --no-time-bounds: on a loaded machine only invariants may fail the run; the liveness probe's time is
            // still printed, and every member's embedded session timeout is checked in its settings.
            ArgumentList = { "exec", runner, "run", "--short", "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-time-bounds", "--work", work.FullName },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(RunPatience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // The runner's children (host, members, cache instances, producer) go with it; the ones it did not
            // reach would exit anyway when their standard input closes.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"the chaos run did not finish within {RunPatience.TotalMinutes:0} min and was killed (logs kept in {work.FullName}); it printed:\n{Text(output)}");
        }

        var text = Text(output);
        Assert.True(process.ExitCode == 0 && text.Contains("RESULT PASS", StringComparison.Ordinal),
            $"the chaos run failed after {clock.Elapsed.TotalSeconds:0} s (exit {process.ExitCode}; logs kept in {work.FullName}):\n{text}");

        // What the run must have gone through for its verdict to mean something.
        Assert.Contains("| **lost** | **0** |", text, StringComparison.Ordinal);
        Assert.Contains("32/32 partitions at the high watermark", text, StringComparison.Ordinal);
        Assert.Matches(@"liveness probe \(kill -9 a member, one tick per key\) \| handled and committed in", text);
        Assert.Matches(@"restarts refused while the registry was away \(then retried\) \| [1-9]", text);
        Assert.Matches(@"per-key order violations \(within an assignment / across members\) \| 0 / 0", text);
        Assert.Matches(@"instances compared with the reference model \(after kill -9 x\d+\) \| \d+, 0 differ", text);
        work.Delete(recursive: true);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string FindRunner()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KafkaTyped.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var runner = Path.Combine(directory.FullName, "eng", "chaos", "Runner", "bin", configuration, "net10.0", "KafkaTyped.Chaos.dll");
        Assert.True(File.Exists(runner), $"build the chaos runner first: {runner}");
        return runner;
    }
}
