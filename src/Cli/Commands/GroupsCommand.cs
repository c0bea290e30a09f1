using System.CommandLine;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.Cli.Kafka;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KafkaTyped.Cli.Commands;

/// <summary>
/// <c>kafkatyped groups list | describe &lt;group&gt;</c>: consumer groups with committed offsets and lag per partition and
/// in total; <c>--watch</c> refreshes a live table.
/// </summary>
/// <remarks>
/// On a real cluster the Admin API answers everything. The embedded cluster serves no ListGroups or DescribeGroups: lag
/// is computed from committed offsets (OffsetFetch with explicit partitions) and end offsets (ListOffsets), groups are
/// listed from the cluster's roster (every process that runs a group on an embedded cluster writes it down: applications
/// hosting or joining it, and <c>consume --group</c>) and from an assembly's declarations, and members are not available.
/// </remarks>
internal static class GroupsCommand
{
    public static Command Create()
    {
        var command = new Command("groups", "Consumer groups: members, assignments, committed offsets and lag.");

        var assembly = new Option<string?>("--assembly", "-a") { Description = "Also list the consumer groups this application assembly declares." };
        var watchList = WatchOption();
        var interval = IntervalOption();
        var list = new Command("list", "Consumer groups with their state and total lag.") { assembly, watchList, interval };
        list.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) =>
            WatchAsync(context, parse.GetValue(watchList), parse.GetValue(interval), cancellation, async admin =>
            {
                var rows = await ListAsync(context, admin, parse.GetValue(assembly), cancellation).ConfigureAwait(false);
                return (ListJson(rows), ListTable(rows));
            })));
        command.Subcommands.Add(list);

        var group = new Argument<string>("group") { Description = "The consumer group id." };
        var watch = WatchOption();
        var describeInterval = IntervalOption();
        var describe = new Command("describe", "Members, assignment, committed offsets and lag per partition and in total.") { group, watch, describeInterval };
        describe.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) =>
            WatchAsync(context, parse.GetValue(watch), parse.GetValue(describeInterval), cancellation, async admin =>
            {
                var snapshot = await DescribeAsync(context, admin, parse.GetValue(group)!, required: true).ConfigureAwait(false);
                return (snapshot!.ToJson(), snapshot.ToTable());
            })));
        command.Subcommands.Add(describe);
        return command;
    }

    private static Option<bool> WatchOption() => new("--watch", "-w") { Description = "Refresh until Ctrl-C (a live table; JSON lines with --json)." };

    private static Option<double> IntervalOption() => new("--interval") { Description = "Seconds between refreshes with --watch.", DefaultValueFactory = _ => 2 };

    private sealed record PartitionLag(string Topic, int Partition, long Committed, long EndOffset, string? Member)
    {
        public long? Lag => Committed < 0 ? null : Math.Max(0, EndOffset - Committed);
    }

    private sealed record MemberInfo(string MemberId, string ClientId, string Host, IReadOnlyList<TopicPartition> Assignment);

    private sealed record GroupSnapshot(string Group, string State, IReadOnlyList<MemberInfo>? Members, IReadOnlyList<PartitionLag> Partitions, string? Note)
    {
        public long TotalLag => Partitions.Sum(p => p.Lag ?? 0);

        public JsonNode ToJson() => new JsonObject
        {
            ["group"] = Group,
            ["state"] = State,
            ["members"] = Members is null ? null : new JsonArray(Members.Select(m => (JsonNode)new JsonObject
            {
                ["memberId"] = m.MemberId,
                ["clientId"] = m.ClientId,
                ["host"] = m.Host,
                ["assignment"] = new JsonArray(m.Assignment.Select(a => (JsonNode)new JsonObject { ["topic"] = a.Topic, ["partition"] = a.Partition.Value }).ToArray()),
            }).ToArray()),
            ["partitions"] = new JsonArray(Partitions.Select(p => (JsonNode)new JsonObject
            {
                ["topic"] = p.Topic,
                ["partition"] = p.Partition,
                ["committed"] = p.Committed < 0 ? null : p.Committed,
                ["endOffset"] = p.EndOffset,
                ["lag"] = p.Lag,
                ["member"] = p.Member,
            }).ToArray()),
            ["totalLag"] = TotalLag,
            ["note"] = Note,
        };

        public IRenderable ToTable()
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]{Markup.Escape(Group)}[/] ({Markup.Escape(State)}) — total lag [bold]{TotalLag}[/]")
                .AddColumn("Topic").AddColumn("Partition", c => c.RightAligned()).AddColumn("Committed", c => c.RightAligned())
                .AddColumn("End offset", c => c.RightAligned()).AddColumn("Lag", c => c.RightAligned()).AddColumn("Member");
            foreach (var p in Partitions)
            {
                table.AddRow(Markup.Escape(p.Topic), p.Partition.ToString(), p.Committed < 0 ? "-" : p.Committed.ToString(), p.EndOffset.ToString(),
                    p.Lag is { } lag ? (lag > 0 ? $"[yellow]{lag}[/]" : "0") : "-", Markup.Escape(p.Member ?? "-"));
            }

            if (Note is null)
            {
                return table;
            }

            return new Rows(table, new Markup($"[grey]{Markup.Escape(Note)}[/]"));
        }
    }

    private sealed record GroupRow(string Group, string State, int? Members, long? Lag, string Source);

    private static async Task<int> WatchAsync(CliContext context, bool watch, double interval, CancellationToken cancellationToken, Func<KafkaAdmin, Task<(JsonNode Json, IRenderable Table)>> snapshot)
    {
        using var admin = new KafkaAdmin(context);
        var output = context.Output;
        var delay = TimeSpan.FromSeconds(Math.Max(0.2, interval));
        var first = await snapshot(admin).ConfigureAwait(false);
        if (!watch)
        {
            if (output.Json)
            {
                output.WriteJson(first.Json);
            }
            else
            {
                output.Console.Write(first.Table);
            }

            return ExitCodes.Ok;
        }

        if (output.Json || !output.IsInteractive)
        {
            var current = first;
            while (true)
            {
                if (output.Json)
                {
                    output.WriteJsonLine(current.Json);
                }
                else
                {
                    output.Console.Write(current.Table);
                }

                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return ExitCodes.Ok;
                }

                current = await snapshot(admin).ConfigureAwait(false);
            }
        }

        await output.Console.Live(first.Table).StartAsync(async live =>
        {
            while (true)
            {
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                live.UpdateTarget((await snapshot(admin).ConfigureAwait(false)).Table);
            }
        }).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static async Task<GroupSnapshot?> DescribeAsync(CliContext context, KafkaAdmin admin, string group, bool required)
    {
        var cluster = context.Cluster;
        IReadOnlyList<MemberInfo>? members = null;
        var state = "Unknown";
        string? note = null;
        IReadOnlyList<TopicPartitionOffsetError> committed;
        if (cluster.IsEmbedded)
        {
            // OffsetFetch needs explicit partitions here: ask for every partition of every topic.
            var partitions = admin.GetMetadata().Topics
                .Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith('_'))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)))
                .ToList();
            committed = partitions.Count == 0 ? [] : await admin.GetCommittedAsync(group, partitions).ConfigureAwait(false);
            committed = committed.Where(c => c.Offset.Value >= 0).ToList();
            note = "Members and state are not available on the embedded cluster (it serves no DescribeGroups); offsets and lag are.";
            state = committed.Count > 0 ? "Unknown (embedded)" : "Unknown";
        }
        else
        {
            try
            {
                var described = await admin.Client.DescribeConsumerGroupsAsync([group], new DescribeConsumerGroupsOptions { RequestTimeout = context.Timeout }).ConfigureAwait(false);
                var description = described.ConsumerGroupDescriptions.FirstOrDefault();
                if (description is not null)
                {
                    state = description.State.ToString();
                    members = description.Members.Select(m => new MemberInfo(m.ConsumerId, m.ClientId, m.Host, m.Assignment?.TopicPartitions ?? [])).ToList();
                }
            }
            catch (DescribeConsumerGroupsException e)
            {
                throw new CliException($"Consumer group '{group}' could not be described: {e.Results.ConsumerGroupDescriptions.FirstOrDefault()?.Error.Reason ?? e.Message}", ExitCodes.Failed, e);
            }
            catch (KafkaException e)
            {
                throw admin.Unreachable(e);
            }

            committed = (await admin.GetCommittedAsync(group, null).ConfigureAwait(false)).Where(c => c.Offset.Value >= 0 || members is { Count: > 0 }).ToList();
        }

        if (committed.Count == 0 && members is not { Count: > 0 })
        {
            return required
                ? throw new CliException($"Consumer group '{group}' has no committed offsets and no members on {cluster.Describe()}.", ExitCodes.NotFound)
                : null;
        }

        var owners = new Dictionary<TopicPartition, string>();
        foreach (var member in members ?? [])
        {
            foreach (var partition in member.Assignment)
            {
                owners[partition] = member.ClientId + " (" + member.Host + ")";
            }
        }

        var all = committed.Select(c => c.TopicPartition).Union(owners.Keys).Distinct().ToList();
        var watermarks = await admin.GetWatermarksAsync(all).ConfigureAwait(false);
        var byPartition = committed.ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        var rows = all
            .Select(tp => new PartitionLag(tp.Topic, tp.Partition.Value, byPartition.GetValueOrDefault(tp, -1), watermarks[tp].High, owners.GetValueOrDefault(tp)))
            .OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition)
            .ToList();
        return new GroupSnapshot(group, state, members, rows, note);
    }

    private static async Task<IReadOnlyList<GroupRow>> ListAsync(CliContext context, KafkaAdmin admin, string? assemblyPath, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster;
        var declared = assemblyPath is null ? [] : AssemblyModel.Load(assemblyPath).Groups.Select(g => g.GroupId).ToList();
        var rows = new List<GroupRow>();
        if (!cluster.IsEmbedded)
        {
            ListConsumerGroupsResult listed;
            try
            {
                listed = await admin.Client.ListConsumerGroupsAsync(new ListConsumerGroupsOptions { RequestTimeout = context.Timeout }).ConfigureAwait(false);
            }
            catch (KafkaException e)
            {
                throw admin.Unreachable(e);
            }

            foreach (var listing in listed.Valid.OrderBy(l => l.GroupId, StringComparer.Ordinal))
            {
                var snapshot = await DescribeAsync(context, admin, listing.GroupId, required: false).ConfigureAwait(false);
                rows.Add(new GroupRow(listing.GroupId, listing.State.ToString(), snapshot?.Members?.Count, snapshot?.TotalLag, "cluster"));
            }

            foreach (var name in declared.Where(d => rows.All(r => r.Group != d)))
            {
                rows.Add(new GroupRow(name, "Not started", 0, null, "assembly"));
            }

            return rows;
        }

        // The mock serves no ListGroups: every process that ran a group on this cluster wrote it into the roster.
        var known = EmbeddedDirectory.Groups(cluster.BootstrapServers).Select(g => (Name: g, Source: "embedded cluster")).ToList();
        known.AddRange(declared.Select(d => (d, "assembly")));
        foreach (var (name, source) in known.DistinctBy(k => k.Name).OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            var snapshot = await DescribeAsync(context, admin, name, required: false).ConfigureAwait(false);
            rows.Add(new GroupRow(name, snapshot is null ? "No offsets" : "Has offsets", null, snapshot?.TotalLag, source));
        }

        return rows;
    }

    private static JsonNode ListJson(IReadOnlyList<GroupRow> rows) => new JsonArray(rows.Select(r => (JsonNode)new JsonObject
    {
        ["group"] = r.Group,
        ["state"] = r.State,
        ["members"] = r.Members,
        ["totalLag"] = r.Lag,
        ["source"] = r.Source,
    }).ToArray());

    private static IRenderable ListTable(IReadOnlyList<GroupRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Group").AddColumn("State").AddColumn("Members", c => c.RightAligned()).AddColumn("Total lag", c => c.RightAligned()).AddColumn("Known from");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Group), Markup.Escape(row.State), row.Members?.ToString() ?? "-", row.Lag?.ToString() ?? "-", Markup.Escape(row.Source));
        }

        return table;
    }
}
