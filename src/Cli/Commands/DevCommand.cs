using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.Cli.Dev;
using KafkaTyped.Cli.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.Embedded.SchemaRegistry;
using Spectre.Console;

namespace KafkaTyped.Cli.Commands;

/// <summary>
/// <c>kafkatyped dev</c>: the embedded Kafka cluster and Schema Registry as a process of their own, for applications and
/// other commands to join, until Ctrl-C.
/// </summary>
internal static class DevCommand
{
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers.", DefaultValueFactory = _ => 3 };
        var port = new Option<int>("--port") { Description = "Fixed port of broker 1 on 127.0.0.1 (broker n gets port+n-1); default: ports the kernel picks." };
        var registryPort = new Option<int>("--registry-port") { Description = "Fixed port of the Schema Registry; default: a free one." };
        var controlPort = new Option<int>("--control-port") { Description = "Fixed port of the control endpoint; default: a free one." };
        var topics = new Option<string[]>("--topic") { Description = "A topic to create at start, name[:partitions] (repeatable; default 1 partition)." };
        var command = new Command("dev", "Run the embedded Kafka cluster and Schema Registry until Ctrl-C, and print the settings that join them.")
        {
            brokers, port, registryPort, controlPort, topics,
        };
        command.SetAction((parse, cancellationToken) => Program.RunAsync(parse, cancellationToken, (context, ct) => RunAsync(
            context,
            parse.GetValue(brokers),
            parse.GetValue(port),
            parse.GetValue(registryPort),
            parse.GetValue(controlPort),
            parse.GetValue(topics) ?? [],
            ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, int brokerCount, int firstPort, int registryPort, int controlPort, string[] topics, CancellationToken cancellationToken)
    {
        if (brokerCount < 1)
        {
            throw new CliException("--brokers must be 1 or more.", ExitCodes.Usage);
        }

        var requested = topics.Select(ParseTopic).ToList();
        var output = context.Output;
        using var cluster = EmbeddedKafkaCluster.Start(brokerCount);
        var forwarders = new List<PortForwarder>();
        ControlServer? control = null;
        EmbeddedSchemaRegistry? registry = null;
        string[] published = [cluster.BootstrapServers];
        try
        {
            foreach (var (name, partitions) in requested)
            {
                cluster.CreateTopic(name, partitions);
            }

            var bootstrap = cluster.BootstrapServers;
            if (firstPort > 0)
            {
                var real = EmbeddedDirectory.Addresses(cluster.BootstrapServers);
                for (var i = 0; i < real.Count; i++)
                {
                    forwarders.Add(PortForwarder.Start(firstPort + i, IPEndPoint.Parse(real[i])));
                }

                bootstrap = string.Join(",", forwarders.Select(f => "127.0.0.1:" + f.Port.ToString(CultureInfo.InvariantCulture)));
            }

            registry = await EmbeddedSchemaRegistry.StartAsync(cluster, new EmbeddedSchemaRegistryOptions { Port = registryPort }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (forwarders.Count > 0)
            {
                // Joiners given the fixed addresses find the cluster (and its registry) under those too.
                EmbeddedDirectory.Publish(bootstrap, registry.Url);
                published = [cluster.BootstrapServers, bootstrap];
            }

            var registryUrl = registry.Url;
            JsonObject Describe() => new()
            {
                ["bootstrapServers"] = bootstrap,
                ["brokerBootstrapServers"] = cluster.BootstrapServers,
                ["brokers"] = brokerCount,
                ["registryUrl"] = registryUrl,
                ["processId"] = Environment.ProcessId,
            };
            control = ControlServer.Start(cluster, controlPort, Describe);
            ControlDirectory.Publish(published, new ControlDirectory.Entry(bootstrap, Environment.ProcessId, control.Url, registryUrl));

            var environment = new JsonObject
            {
                ["KafkaTyped__BootstrapServers"] = bootstrap,
                ["KafkaTyped__SchemaRegistry__Urls__0"] = registryUrl,
            };
            var appsettings = new JsonObject
            {
                ["KafkaTyped"] = new JsonObject
                {
                    ["BootstrapServers"] = bootstrap,
                    ["SchemaRegistry"] = new JsonObject { ["Urls"] = new JsonArray(registryUrl) },
                },
            };
            if (output.Json)
            {
                var ready = Describe();
                ready["controlUrl"] = control.Url;
                ready["topics"] = new JsonArray(requested.Select(t => JsonValue.Create(t.Name)).ToArray<JsonNode?>());
                ready["environment"] = environment;
                ready["appsettings"] = appsettings;
                output.WriteJsonLine(ready);
            }
            else
            {
                PrintSettings(output, brokerCount, bootstrap, registryUrl, control.Url, environment, appsettings);
            }

            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            output.Info("Stopping the embedded Kafka cluster and Schema Registry.");
            return ExitCodes.Ok;
        }
        finally
        {
            ControlDirectory.Unpublish(published);
            if (forwarders.Count > 0)
            {
                EmbeddedDirectory.Unpublish(published[^1]);
            }

            control?.Dispose();
            if (registry is not null)
            {
                await registry.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var forwarder in forwarders)
            {
                forwarder.Dispose();
            }
        }
    }

    private static void PrintSettings(CliOutput output, int brokers, string bootstrap, string registryUrl, string controlUrl, JsonObject environment, JsonObject appsettings)
    {
        var console = output.Console;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]Kafka[/]", Markup.Escape($"{bootstrap} ({brokers} broker{(brokers == 1 ? "" : "s")}, embedded)"));
        grid.AddRow("[bold]Schema Registry[/]", Markup.Escape(registryUrl));
        grid.AddRow("[bold]Control[/]", Markup.Escape(controlUrl));
        console.Write(new Panel(grid).Header("kafkatyped dev").Border(BoxBorder.Rounded));
        console.WriteLine();
        console.MarkupLine("[bold]Environment variables[/] (applications and kafkatyped commands join with these):");
        foreach (var (key, value) in environment)
        {
            console.WriteLine($"  export {key}={value}");
        }

        console.WriteLine();
        console.MarkupLine("[bold]appsettings.json[/]:");
        console.WriteLine(appsettings.ToJsonString(CliOutput.Indented));
        console.WriteLine();
        console.MarkupLine("Press [bold]Ctrl-C[/] to stop (the data is in memory and goes with it).");
    }

    private static (string Name, int Partitions) ParseTopic(string spec)
    {
        var parts = spec.Split(':', 2);
        if (parts[0].Length == 0)
        {
            throw new CliException($"--topic expects name[:partitions], got '{spec}'.", ExitCodes.Usage);
        }

        if (parts.Length == 1)
        {
            return (parts[0], 1);
        }

        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var partitions) && partitions > 0
            ? (parts[0], partitions)
            : throw new CliException($"--topic expects name[:partitions] with partitions ≥ 1, got '{spec}'.", ExitCodes.Usage);
    }
}
