using KafkaTyped.Cli.Tests.Infrastructure;

namespace KafkaTyped.Cli.Tests;

/// <summary><c>kafkatyped dev</c> itself: fixed ports, joining, Ctrl-C.</summary>
[Collection(CliCollection.Name)]
public sealed class DevProcessTests
{
    [Fact]
    public async Task Dev_on_fixed_ports_is_joined_through_them_and_stops_cleanly_on_ctrl_c()
    {
        var port = Ports.Free();
        var (process, ready, errors) = await DevCluster.StartAsync("dev", "--brokers", "1", "--port", port.ToString(), "--json", "--topic", "fixed:2");
        using (process)
        {
            var bootstrap = ready["bootstrapServers"]!.GetValue<string>();
            Assert.Equal($"127.0.0.1:{port}", bootstrap);

            // A command given only the fixed address finds the cluster, its registry and its control endpoint.
            var topics = Expect.Ok(await Tool.RunAsync(["topics", "list", "--json", "-b", bootstrap])).Json.AsArray();
            Assert.Equal(2, topics.Single(t => t!["name"]!.GetValue<string>() == "fixed")!["partitions"]!.GetValue<int>());
            Expect.Ok(await Tool.RunAsync(["topics", "create", "fixed-2", "-b", bootstrap]));
            Expect.Ok(await Tool.RunAsync(["schemas", "list", "-b", bootstrap]));

            Assert.Equal(0, await DevCluster.StopAsync(process));
            Assert.Contains("Stopping", await errors);
        }

        // Gone: a command pointed at it now says the cluster cannot be reached.
        Expect.OneErrorLine(await Tool.RunAsync(["topics", "list", "-b", $"127.0.0.1:{port}", "--timeout", "2"]), 4);
    }
}
