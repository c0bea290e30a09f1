using System.Diagnostics;

namespace KafkaTyped.IntegrationTests.Chaos;

/// <summary>
/// The chaos suite's short run, exactly what <c>eng/chaos.sh --seed 19</c> runs: separate processes (a host with the
/// embedded cluster and registry, a producer, consumer-group members with 1 and 4 lanes, replicated-cache writers and
/// replicas) while every kind of fault is injected once: <c>kill -9</c> of members, writers and replicas, a broker and
/// the group coordinator going away, the Schema Registry going away behind a proxy, members joining and leaving,
/// request errors and a slow broker. The runner checks the invariants and prints a table (docs/reliability.md).
/// </summary>
public sealed class ChaosShortRunTests
{
    /// <summary>The seed of the short run: it fixes which fault comes when and whom it hits.</summary>
    public const long Seed = 19;

    [Fact]
    public async Task Kill_9_broker_registry_and_coordinator_outages_and_rebalances_lose_nothing_reorder_nothing_and_caches_converge()
    {
        var runner = FindRunner();
        var work = Directory.CreateTempSubdirectory("kafkatyped-chaos-test-");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", runner, "run", "--short", "--seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--work", work.FullName },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await output;
        Assert.True(process.ExitCode == 0 && text.Contains("RESULT PASS", StringComparison.Ordinal),
            $"the chaos run failed (exit {process.ExitCode}; logs kept in {work.FullName}):\n{text}\n{await errors}");

        // What the run must have gone through for its verdict to mean something.
        Assert.Contains("| **lost** | **0** |", text, StringComparison.Ordinal);
        Assert.Contains("32/32 partitions at the high watermark", text, StringComparison.Ordinal);
        Assert.Matches(@"liveness probe \(kill -9 a member, one tick per key\) \| handled and committed in", text);
        Assert.Matches(@"restarts refused while the registry was away \(then retried\) \| [1-9]", text);
        work.Delete(recursive: true);
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
