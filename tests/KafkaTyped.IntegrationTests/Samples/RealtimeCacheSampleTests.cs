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

        // The sample runs on the librdkafka bundled by librdkafka.redist, never an OS library.
        Assert.Matches(@"librdkafka 2\.16\.0 loaded from \S*/runtimes/linux-x64/native/\S*librdkafka\.so", text);
    }

    [Fact]
    public async Task A_librdkafka_of_the_wrong_version_stops_the_application_with_the_reason_instead_of_being_used()
    {
        // An old librdkafka: Debian's 2.0.2 where kcat's package brought it, else a file that is no library at all.
        var old = new[] { "/usr/lib/x86_64-linux-gnu/librdkafka.so.1", "/usr/lib/aarch64-linux-gnu/librdkafka.so.1" }.FirstOrDefault(File.Exists);
        var notALibrary = Path.Combine(Path.GetTempPath(), $"not-librdkafka-{Guid.NewGuid():N}.so");
        await File.WriteAllTextAsync(notALibrary, "not a library");
        try
        {
            foreach (var path in new[] { old, notALibrary }.OfType<string>())
            {
                var start = new ProcessStartInfo("dotnet") { ArgumentList = { "exec", FindSample(), "demo" }, RedirectStandardOutput = true, RedirectStandardError = true };
                start.Environment["KAFKATYPED_LIBRDKAFKA_PATH"] = path;
                using var process = Process.Start(start)!;
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var errors = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                var text = await output + await errors;

                Assert.NotEqual(0, process.ExitCode);
                Assert.Contains("KafkaTyped could not load the librdkafka native library", text, StringComparison.Ordinal);
                Assert.Contains($"KAFKATYPED_LIBRDKAFKA_PATH names '{path}'", text, StringComparison.Ordinal);
                if (path == old)
                {
                    Assert.Contains("it is librdkafka 2.0.2, but Confluent.Kafka 2.16 needs librdkafka 2.16 or newer", text, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            File.Delete(notALibrary);
        }
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
