using System.CommandLine;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTyped.Cli.Kafka;
using Spectre.Console;

namespace KafkaTyped.Cli.Commands;

/// <summary><c>kafkatyped topics list | describe | create | delete</c>.</summary>
internal static class TopicsCommand
{
    public static Command Create()
    {
        var command = new Command("topics", "List, describe, create and delete topics.");

        var all = new Option<bool>("--all") { Description = "Include internal topics (names starting with '_')." };
        var list = new Command("list", "Topics with their partition counts, replication and message counts.") { all };
        list.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, _) => ListAsync(context, parse.GetValue(all))));
        command.Subcommands.Add(list);

        var topic = new Argument<string>("topic") { Description = "The topic." };
        var allConfigs = new Option<bool>("--all-configs") { Description = "Show every config, not only those set on the topic." };
        var describe = new Command("describe", "Partitions with leaders, replicas, in-sync replicas and offsets; the topic's configs.") { topic, allConfigs };
        describe.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, _) => DescribeAsync(context, parse.GetValue(topic)!, parse.GetValue(allConfigs))));
        command.Subcommands.Add(describe);

        var createTopic = new Argument<string>("topic") { Description = "The topic to create." };
        var partitions = new Option<int>("--partitions", "-p") { Description = "Partition count.", DefaultValueFactory = _ => 1 };
        var replication = new Option<short>("--replication-factor") { Description = "Replicas per partition (default: the cluster's default; on the embedded cluster min(3, brokers)).", DefaultValueFactory = _ => -1 };
        var configs = new Option<string[]>("--config") { Description = "A topic config key=value (repeatable; real clusters only)." };
        var ifNotExists = new Option<bool>("--if-not-exists") { Description = "Succeed when the topic already exists." };
        var create = new Command("create", "Create a topic.") { createTopic, partitions, replication, configs, ifNotExists };
        create.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) => CreateAsync(
            context, parse.GetValue(createTopic)!, parse.GetValue(partitions), parse.GetValue(replication), parse.GetValue(configs) ?? [], parse.GetValue(ifNotExists), cancellation)));
        command.Subcommands.Add(create);

        var deleteTopic = new Argument<string>("topic") { Description = "The topic to delete (with its data)." };
        var delete = new Command("delete", "Delete a topic and its data.") { deleteTopic };
        delete.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) => DeleteAsync(context, parse.GetValue(deleteTopic)!, cancellation)));
        command.Subcommands.Add(delete);
        return command;
    }

    private static async Task<int> ListAsync(CliContext context, bool includeInternal)
    {
        using var admin = new KafkaAdmin(context);
        var topics = admin.GetMetadata().Topics
            .Where(t => t.Error.Code == ErrorCode.NoError && (includeInternal || !t.Topic.StartsWith('_')))
            .OrderBy(t => t.Topic, StringComparer.Ordinal)
            .ToList();
        var watermarks = await admin.GetWatermarksAsync(topics.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId))).ToList()).ConfigureAwait(false);
        var rows = topics.Select(t => new
        {
            t.Topic,
            Partitions = t.Partitions.Count,
            Replication = t.Partitions.Count == 0 ? 0 : t.Partitions.Max(p => p.Replicas.Length),
            Messages = t.Partitions.Sum(p => Count(watermarks, t.Topic, p.PartitionId)),
        }).ToList();

        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonArray(rows.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Topic,
                ["partitions"] = r.Partitions,
                ["replicationFactor"] = r.Replication,
                ["messages"] = r.Messages,
            }).ToArray()));
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("Topic").AddColumn("Partitions", c => c.RightAligned()).AddColumn("Replication", c => c.RightAligned()).AddColumn("Messages", c => c.RightAligned());
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Topic), row.Partitions.ToString(), row.Replication.ToString(), row.Messages.ToString());
        }

        context.Output.Console.Write(table);
        context.Output.Info($"{rows.Count} topic(s) on {context.Cluster.Describe()}.");
        return ExitCodes.Ok;
    }

    private static async Task<int> DescribeAsync(CliContext context, string topic, bool allConfigs)
    {
        using var admin = new KafkaAdmin(context);
        var metadata = admin.RequireTopic(topic);
        var partitions = metadata.Partitions.OrderBy(p => p.PartitionId).ToList();
        var watermarks = await admin.GetWatermarksAsync(partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList()).ConfigureAwait(false);

        List<ConfigEntryResult>? configs = null;
        if (!context.Cluster.IsEmbedded)
        {
            try
            {
                var described = await admin.Client.DescribeConfigsAsync(
                    [new ConfigResource { Type = ResourceType.Topic, Name = topic }],
                    new DescribeConfigsOptions { RequestTimeout = context.Timeout }).ConfigureAwait(false);
                configs = described.SelectMany(d => d.Entries.Values).Where(e => allConfigs || !e.IsDefault).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (DescribeConfigsException e)
            {
                throw new CliException($"The configs of topic '{topic}' could not be read: {e.Results.FirstOrDefault()?.Error.Reason ?? e.Message}", ExitCodes.Failed, e);
            }
            catch (KafkaException e)
            {
                throw admin.Unreachable(e);
            }
        }

        if (context.Output.Json)
        {
            var json = new JsonObject
            {
                ["name"] = topic,
                ["partitions"] = new JsonArray(partitions.Select(p =>
                {
                    var (low, high) = watermarks[new TopicPartition(topic, p.PartitionId)];
                    return (JsonNode)new JsonObject
                    {
                        ["partition"] = p.PartitionId,
                        ["leader"] = p.Leader,
                        ["replicas"] = new JsonArray(p.Replicas.Select(r => (JsonNode)r).ToArray()),
                        ["inSyncReplicas"] = new JsonArray(p.InSyncReplicas.Select(r => (JsonNode)r).ToArray()),
                        ["startOffset"] = low,
                        ["endOffset"] = high,
                        ["messages"] = Math.Max(0, high - low),
                    };
                }).ToArray()),
                ["configs"] = configs is null ? null : new JsonObject(configs.Select(c => KeyValuePair.Create(c.Name, (JsonNode?)(c.IsSensitive ? "***" : c.Value)))),
            };
            if (configs is null)
            {
                json["configsNote"] = "the embedded cluster has no topic configuration";
            }

            context.Output.WriteJson(json);
            return ExitCodes.Ok;
        }

        var console = context.Output.Console;
        console.MarkupLine($"[bold]{Markup.Escape(topic)}[/]: {partitions.Count} partition(s) on {Markup.Escape(context.Cluster.Describe())}");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Partition", c => c.RightAligned()).AddColumn("Leader", c => c.RightAligned()).AddColumn("Replicas").AddColumn("In sync")
            .AddColumn("Start offset", c => c.RightAligned()).AddColumn("End offset", c => c.RightAligned()).AddColumn("Messages", c => c.RightAligned());
        foreach (var p in partitions)
        {
            var (low, high) = watermarks[new TopicPartition(topic, p.PartitionId)];
            table.AddRow(p.PartitionId.ToString(), p.Leader.ToString(), string.Join(",", p.Replicas), string.Join(",", p.InSyncReplicas), low.ToString(), high.ToString(), Math.Max(0, high - low).ToString());
        }

        console.Write(table);
        if (configs is null)
        {
            console.MarkupLine("Configs: none (the embedded cluster has no topic configuration).");
        }
        else if (configs.Count == 0)
        {
            console.MarkupLine("Configs: the cluster defaults (--all-configs lists them).");
        }
        else
        {
            var configTable = new Table().Border(TableBorder.Rounded).AddColumn("Config").AddColumn("Value").AddColumn("Source");
            foreach (var c in configs)
            {
                configTable.AddRow(Markup.Escape(c.Name), Markup.Escape(c.IsSensitive ? "***" : c.Value ?? ""), c.Source.ToString());
            }

            console.Write(configTable);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> CreateAsync(CliContext context, string topic, int partitions, short replication, string[] configs, bool ifNotExists, CancellationToken cancellationToken)
    {
        if (partitions < 1)
        {
            throw new CliException("--partitions must be 1 or more.", ExitCodes.Usage);
        }

        var configMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in configs)
        {
            var parts = pair.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0)
            {
                throw new CliException($"--config expects key=value, got '{pair}'.", ExitCodes.Usage);
            }

            configMap[parts[0]] = parts[1];
        }

        bool created;
        var cluster = context.Cluster;
        if (cluster.IsEmbedded)
        {
            if (configMap.Count > 0)
            {
                throw new CliException("The embedded cluster has no topic configuration: drop --config.", ExitCodes.NotSupported);
            }

            using var control = EmbeddedControl(context, "create topics");
            created = await control.CreateTopicAsync(topic, partitions, replication, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var admin = new KafkaAdmin(context);
            try
            {
                await admin.Client.CreateTopicsAsync(
                    [new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = replication, Configs = configMap }],
                    new CreateTopicsOptions { RequestTimeout = context.Timeout, OperationTimeout = context.Timeout }).ConfigureAwait(false);
                created = true;
            }
            catch (CreateTopicsException e) when (e.Results.Any(r => r.Error.Code == ErrorCode.TopicAlreadyExists))
            {
                created = false;
            }
            catch (CreateTopicsException e)
            {
                throw new CliException($"Topic '{topic}' could not be created: {e.Results.FirstOrDefault()?.Error.Reason ?? e.Message}", ExitCodes.Failed, e);
            }
            catch (KafkaException e)
            {
                throw admin.Unreachable(e);
            }
        }

        if (!created && !ifNotExists)
        {
            throw new CliException($"Topic '{topic}' already exists (its partition count is unchanged); --if-not-exists accepts that.", ExitCodes.Failed);
        }

        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonObject { ["name"] = topic, ["partitions"] = partitions, ["created"] = created });
        }
        else
        {
            context.Output.WriteLine(created ? $"Created topic {topic} with {partitions} partition(s)." : $"Topic {topic} already exists.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteAsync(CliContext context, string topic, CancellationToken cancellationToken)
    {
        if (context.Cluster.IsEmbedded)
        {
            using var control = EmbeddedControl(context, "delete topics");
            if (!await control.DeleteTopicAsync(topic, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException($"Topic '{topic}' does not exist on {context.Cluster.Describe()}.", ExitCodes.NotFound);
            }
        }
        else
        {
            using var admin = new KafkaAdmin(context);
            try
            {
                await admin.Client.DeleteTopicsAsync([topic], new DeleteTopicsOptions { RequestTimeout = context.Timeout, OperationTimeout = context.Timeout }).ConfigureAwait(false);
            }
            catch (DeleteTopicsException e) when (e.Results.Any(r => r.Error.Code == ErrorCode.UnknownTopicOrPart))
            {
                throw new CliException($"Topic '{topic}' does not exist on {context.Cluster.Describe()}.", ExitCodes.NotFound, e);
            }
            catch (DeleteTopicsException e)
            {
                throw new CliException($"Topic '{topic}' could not be deleted: {e.Results.FirstOrDefault()?.Error.Reason ?? e.Message}", ExitCodes.Failed, e);
            }
            catch (KafkaException e)
            {
                throw admin.Unreachable(e);
            }
        }

        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonObject { ["name"] = topic, ["deleted"] = true });
        }
        else
        {
            context.Output.WriteLine($"Deleted topic {topic}.");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// The control endpoint of the kafkatyped dev hosting the embedded cluster. An application's embedded cluster has
    /// none: the mock serves no CreateTopics or DeleteTopics, so only its host process can change its topics.
    /// </summary>
    internal static ControlClient EmbeddedControl(CliContext context, string what)
    {
        var cluster = context.Cluster;
        return cluster.ControlUrl is { } url
            ? new ControlClient(url, context.Timeout)
            : throw new CliException(
                $"Cannot {what} on the embedded cluster at {cluster.BootstrapServers}: it is hosted by process {cluster.HostProcessId}, an application, and the embedded cluster serves no admin API for topics. Declare the topic in the application ([Topic(\"name\", Partitions = n)]), or run the application against 'kafkatyped dev'.",
                ExitCodes.NotSupported);
    }

    private static long Count(Dictionary<TopicPartition, (long Low, long High)> watermarks, string topic, int partition) =>
        watermarks.TryGetValue(new TopicPartition(topic, partition), out var w) ? Math.Max(0, w.High - w.Low) : 0;
}
