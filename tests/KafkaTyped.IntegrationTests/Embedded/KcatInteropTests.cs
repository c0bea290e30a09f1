using System.Diagnostics;
using Confluent.Kafka;
using KafkaTyped.IntegrationTests.Infrastructure;

namespace KafkaTyped.IntegrationTests.Embedded;

/// <summary>kcat, an independent Kafka client in another process, talks to the embedded cluster over TCP.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class KcatInteropTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task Kcat_lists_the_cluster_metadata()
    {
        var topic = fixture.NewTopic("kcat-meta", partitions: 5);

        var output = await Kcat.RunAsync($"-b {fixture.BootstrapServers} -L -t {topic}");

        Assert.Contains("3 brokers", output, StringComparison.Ordinal);
        Assert.Contains($"topic \"{topic}\" with 5 partitions", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kcat_reads_what_dotnet_produced()
    {
        var topic = fixture.NewTopic("kcat-read", partitions: 1);
        var expected = Enumerable.Range(0, 50).Select(i => $"k{i}=value-{i}").ToArray();
        using (var producer = new ProducerBuilder<string, string>(fixture.ProducerConfig()).Build())
        {
            foreach (var line in expected)
            {
                var parts = line.Split('=');
                await producer.ProduceAsync(topic, new Message<string, string> { Key = parts[0], Value = parts[1] });
            }
        }

        var output = await Kcat.RunAsync($"-b {fixture.BootstrapServers} -C -t {topic} -o beginning -e -q -f %k=%s\\n");

        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}

internal static class Kcat
{
    public static async Task<string> RunAsync(string arguments)
    {
        var start = new ProcessStartInfo("kcat", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kcat did not start; install it with 'apt-get install kcat'.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kcat {arguments} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}
