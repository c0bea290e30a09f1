using System.Diagnostics;

namespace KafkaTyped.IntegrationTests.Samples;

/// <summary>
/// Runs the main sample's demo: three processes on one embedded cluster converge after writes in different processes,
/// and a restarted process rebuilds the same state.
/// </summary>
public sealed class RealtimeCacheSampleTests
{
    [Fact]
    public async Task Three_processes_share_one_cache_and_a_restart_rebuilds_it()
    {
        var sample = FindSample();
        var start = new ProcessStartInfo("dotnet") { ArgumentList = { "exec", sample, "demo" }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        var text = await output;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{text}\n{await errors}");
        Assert.Contains("instance-2: apple=0.49 EUR, pear=0.60 EUR", text, StringComparison.Ordinal);
        Assert.Contains("instance-3: apple=0.49 EUR, pear=0.60 EUR", text, StringComparison.Ordinal);
        Assert.Contains("READY instance-3 with 2 prices: apple=0.49 EUR, pear=0.60 EUR", text, StringComparison.Ordinal);
        Assert.Contains("All three instances hold the same prices.", text, StringComparison.Ordinal);
    }

    private static string FindSample()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "KafkaTyped.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var sample = Path.Combine(directory.FullName, "samples", "RealtimeCache", "bin", configuration, "net10.0", "RealtimeCache.dll");
        Assert.True(File.Exists(sample), $"build the sample first: {sample}");
        return sample;
    }
}
