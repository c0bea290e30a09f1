using System.Globalization;
using Confluent.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Chaos;

/// <summary>
/// The process that hosts the embedded Kafka cluster (3 brokers) and the embedded Schema Registry, like the first
/// instance of a service run with no Kafka configured. It creates the chaos topics (the embedded cluster has no
/// CreateTopics API), puts the registry behind a switchable proxy, pins the group's coordinator to broker 1, and then
/// injects faults on the scenario runner's commands, one per input line, answering <c>OK</c> or <c>ERR</c>.
/// </summary>
internal static class HostRole
{
    public const int CoordinatorBroker = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = ChaosApp.CreateBuilder(args);
        builder.Services.AddKafkaTypedCore(builder.Configuration);
        using var host = builder.Build();
        var cluster = host.Services.GetRequiredService<KafkaCluster>();
        var embedded = cluster.Embedded ?? throw new InvalidOperationException("the chaos host must run the embedded cluster: give it no KafkaTyped:BootstrapServers");
        embedded.CreateTopic(ChaosTopics.Ticks, ChaosTopics.TickPartitions);
        embedded.CreateTopic(ChaosTopics.DeadLetters, ChaosTopics.TickPartitions);
        embedded.CreateTopic(ChaosTopics.Cache, ChaosTopics.CachePartitions);
        embedded.SetCoordinator("group", ChaosTopics.Group, CoordinatorBroker);

        var provider = host.Services.GetRequiredService<SchemaRegistryProvider>();
        await provider.GetRegistryAsync();
        using var proxy = new SwitchableTcpProxy(provider.EmbeddedUrl!);
        ChaosApp.Say($"BOOTSTRAP {cluster.BootstrapServers}");
        ChaosApp.Say($"REGISTRY {proxy.Url}");
        ChaosApp.Say($"READY {Environment.ProcessId}");

        await ChaosApp.CommandLoopAsync(line =>
        {
            try
            {
                Execute(embedded, proxy, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                ChaosApp.Say("OK " + line);
            }
            catch (Exception error)
            {
                ChaosApp.Say($"ERR {line}: {error.Message}");
            }

            return Task.CompletedTask;
        });

        await provider.DisposeAsync();
        return 0;
    }

    private static void Execute(EmbeddedKafkaCluster cluster, SwitchableTcpProxy registry, string[] command)
    {
        static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
        switch (command)
        {
            case ["broker-down", var id]:
                cluster.SetBrokerDown(Int(id));
                break;
            case ["broker-up", var id]:
                cluster.SetBrokerUp(Int(id));
                break;
            case ["rtt", var id, var milliseconds]:
                cluster.SetRoundTripTime(Int(id), TimeSpan.FromMilliseconds(Int(milliseconds)));
                break;
            case ["errors", var api, .. var codes]:
                cluster.PushRequestErrors(Enum.Parse<KafkaApiKey>(api), codes.Select(Enum.Parse<ErrorCode>).ToArray());
                break;
            case ["clear-errors", var api]:
                cluster.ClearRequestErrors(Enum.Parse<KafkaApiKey>(api));
                break;
            case ["registry-down"]:
                registry.Stop();
                break;
            case ["registry-up"]:
                registry.Start();
                break;
            default:
                throw new InvalidOperationException("unknown command");
        }
    }
}
