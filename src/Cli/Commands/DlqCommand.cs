using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using KafkaTyped.Cli.Kafka;
using KafkaTyped.Cli.Protobuf;
using KafkaTyped.Consuming;
using Spectre.Console;

namespace KafkaTyped.Cli.Commands;

/// <summary>
/// <c>kafkatyped dlq show | replay &lt;topic&gt;</c>: the records consumer groups gave up on (written to
/// <c>{topic}.dlq</c> with <see cref="DeadLetterHeaders"/>), and sending chosen ones back to their topic.
/// </summary>
internal static class DlqCommand
{
    private const string ReplayedFrom = "kafkatyped.replayed.from";

    private static readonly string[] ErrorHeaders =
    [
        DeadLetterHeaders.ExceptionType, DeadLetterHeaders.ExceptionMessage, DeadLetterHeaders.OriginalTopic, DeadLetterHeaders.OriginalPartition,
        DeadLetterHeaders.OriginalOffset, DeadLetterHeaders.Attempts, DeadLetterHeaders.ConsumerGroup, DeadLetterHeaders.FailedAt,
    ];

    public static Command Create()
    {
        var command = new Command("dlq", "Dead letters: show them with their error headers, replay chosen ones to the original topic.");

        var topic = new Argument<string>("topic") { Description = "The topic (its dead letters are in {topic}.dlq) or the dead-letter topic itself." };
        var suffix = SuffixOption();
        var max = new Option<int?>("--max", "-n") { Description = "Show at most this many." };
        var partition = new Option<int?>("--partition") { Description = "Only this partition of the dead-letter topic." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep waiting for new dead letters until Ctrl-C." };
        var show = new Command("show", "Dead letters with their error headers and decoded values.") { topic, suffix, max, partition, follow };
        show.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) => ShowAsync(
            context, parse.GetValue(topic)!, parse.GetValue(suffix)!, new ReadOptions(true, parse.GetValue(follow), parse.GetValue(partition), null, null, parse.GetValue(max)), cancellation)));
        command.Subcommands.Add(show);

        var replayTopic = new Argument<string>("topic") { Description = "The topic whose dead letters to replay (or the dead-letter topic itself)." };
        var replaySuffix = SuffixOption();
        var offsets = new Option<string[]>("--offset") { Description = "A dead letter to replay, as partition:offset of the dead-letter topic (repeatable)." };
        var all = new Option<bool>("--all") { Description = "Replay every dead letter (combine with --error-type or --group to narrow)." };
        var errorType = new Option<string?>("--error-type") { Description = "Only dead letters whose error type contains this text." };
        var group = new Option<string?>("--group") { Description = "Only dead letters of this consumer group." };
        var to = new Option<string?>("--to") { Description = "Write to this topic instead of each record's original topic." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be replayed, without producing." };
        var replay = new Command("replay", "Produce chosen dead letters back to their original topic (key, value and headers, without the error headers).")
        {
            replayTopic, replaySuffix, offsets, all, errorType, group, to, dryRun,
        };
        replay.SetAction((parse, ct) => Program.RunAsync(parse, ct, (context, cancellation) => ReplayAsync(
            context, parse.GetValue(replayTopic)!, parse.GetValue(replaySuffix)!, parse.GetValue(offsets) ?? [], parse.GetValue(all),
            parse.GetValue(errorType), parse.GetValue(group), parse.GetValue(to), parse.GetValue(dryRun), cancellation)));
        command.Subcommands.Add(replay);
        return command;
    }

    private static Option<string> SuffixOption() => new("--suffix") { Description = "The dead-letter topic suffix.", DefaultValueFactory = _ => ".dlq" };

    private static (string DeadLetters, string Original) Topics(string topic, string suffix) =>
        topic.EndsWith(suffix, StringComparison.Ordinal) && topic.Length > suffix.Length ? (topic, topic[..^suffix.Length]) : (topic + suffix, topic);

    private static async Task<int> ShowAsync(CliContext context, string topic, string suffix, ReadOptions options, CancellationToken cancellationToken)
    {
        var (deadLetters, _) = Topics(topic, suffix);
        var renderer = new RecordJson(new RegistrySchemas(context));
        var rows = new List<JsonObject>();
        var count = await RecordReader.ReadAsync(context, deadLetters, options, async record =>
        {
            var json = await renderer.RenderAsync(record).ConfigureAwait(false);
            json["deadLetter"] = DeadLetter(record.Message.Headers);
            if (context.Output.Json)
            {
                context.Output.WriteJsonLine(json);
            }
            else if (options.Follow)
            {
                ConsumeCommand.Print(context.Output, json);
            }
            else
            {
                rows.Add(json);
            }
        }, cancellationToken).ConfigureAwait(false);

        if (!context.Output.Json && !options.Follow)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Dead letter").AddColumn("Original").AddColumn("Group").AddColumn("Attempts", c => c.RightAligned())
                .AddColumn("Error").AddColumn("Key").AddColumn("Type").AddColumn("Value");
            foreach (var row in rows)
            {
                var error = (JsonObject)row["deadLetter"]!;
                table.AddRow(
                    $"{row["partition"]}:{row["offset"]}",
                    Markup.Escape($"{error["originalTopic"]}[{error["originalPartition"]}]@{error["originalOffset"]}"),
                    Markup.Escape(error["group"]?.ToString() ?? "-"),
                    Markup.Escape(error["attempts"]?.ToString() ?? "-"),
                    Markup.Escape(Shorten($"{error["errorType"]}: {error["errorMessage"]}", 80)),
                    Markup.Escape(row["key"]?.ToString() ?? "-"),
                    Markup.Escape(row["type"]?.ToString() ?? "-"),
                    Markup.Escape(Shorten(row["value"]?.ToJsonString() ?? row["error"]?.ToString() ?? "null", 80)));
            }

            context.Output.Console.Write(table);
        }

        context.Output.Info($"{count} dead letter(s) in '{deadLetters}'.");
        return ExitCodes.Ok;
    }

    private static async Task<int> ReplayAsync(CliContext context, string topic, string suffix, string[] offsets, bool all, string? errorType, string? group, string? to, bool dryRun, CancellationToken cancellationToken)
    {
        var chosen = new HashSet<(int, long)>();
        foreach (var spec in offsets)
        {
            var parts = spec.Split(':');
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var o))
            {
                throw new CliException($"--offset expects partition:offset of the dead-letter topic, got '{spec}'.", ExitCodes.Usage);
            }

            chosen.Add((p, o));
        }

        if (chosen.Count == 0 && !all && errorType is null && group is null)
        {
            throw new CliException("Choose the dead letters to replay: --offset partition:offset (repeatable), --error-type, --group, or --all.", ExitCodes.Usage);
        }

        var (deadLetters, original) = Topics(topic, suffix);
        var selected = new List<ConsumeResult<byte[], byte[]>>();
        await RecordReader.ReadAsync(context, deadLetters, new ReadOptions(true, false, null, null, null, null), record =>
        {
            var headers = record.Message.Headers;
            if ((chosen.Count == 0 || chosen.Contains((record.Partition.Value, record.Offset.Value)))
                && (errorType is null || (RecordJson.HeaderText(headers, DeadLetterHeaders.ExceptionType) ?? string.Empty).Contains(errorType, StringComparison.Ordinal))
                && (group is null || RecordJson.HeaderText(headers, DeadLetterHeaders.ConsumerGroup) == group))
            {
                selected.Add(record);
            }

            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);

        var missing = chosen.Where(c => !selected.Any(s => s.Partition.Value == c.Item1 && s.Offset.Value == c.Item2)).ToList();
        if (missing.Count > 0)
        {
            throw new CliException($"'{deadLetters}' has no dead letter at {string.Join(", ", missing.Select(m => $"{m.Item1}:{m.Item2}"))}.", ExitCodes.NotFound);
        }

        if (selected.Count == 0)
        {
            throw new CliException($"No dead letter in '{deadLetters}' matches.", ExitCodes.NotFound);
        }

        var targets = selected.Select(r => to ?? RecordJson.HeaderText(r.Message.Headers, DeadLetterHeaders.OriginalTopic) ?? original).Distinct(StringComparer.Ordinal).ToList();
        using (var admin = new KafkaAdmin(context))
        {
            foreach (var target in targets)
            {
                admin.RequireTopic(target);
            }
        }

        var results = new JsonArray();
        IProducer<byte[]?, byte[]?>? producer = null;
        try
        {
            if (!dryRun)
            {
                var config = context.CreateProducerConfig();
                config.Partitioner ??= Partitioner.Murmur2Random;
                producer = new ProducerBuilder<byte[]?, byte[]?>(config).SetLogHandler(static (_, _) => { }).SetErrorHandler(static (_, _) => { }).Build();
            }

            await context.Output.WithProgressAsync($"Replaying {selected.Count} dead letters", selected.Count, async step =>
            {
                foreach (var record in selected)
                {
                    step();
                    var target = to ?? RecordJson.HeaderText(record.Message.Headers, DeadLetterHeaders.OriginalTopic) ?? original;
                    var headers = new Headers();
                    foreach (var header in record.Message.Headers ?? [])
                    {
                        if (!ErrorHeaders.Contains(header.Key, StringComparer.Ordinal) && header.Key != ReplayedFrom)
                        {
                            headers.Add(header.Key, header.GetValueBytes());
                        }
                    }

                    headers.Add(ReplayedFrom, Encoding.UTF8.GetBytes($"{deadLetters}/{record.Partition.Value}/{record.Offset.Value}"));
                    var entry = new JsonObject
                    {
                        ["from"] = new JsonObject { ["topic"] = deadLetters, ["partition"] = record.Partition.Value, ["offset"] = record.Offset.Value },
                    };
                    if (producer is not null)
                    {
                        try
                        {
                            var delivered = await producer.ProduceAsync(target, new Message<byte[]?, byte[]?> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers }, cancellationToken).ConfigureAwait(false);
                            entry["to"] = new JsonObject { ["topic"] = delivered.Topic, ["partition"] = delivered.Partition.Value, ["offset"] = delivered.Offset.Value };
                        }
                        catch (ProduceException<byte[]?, byte[]?> e)
                        {
                            throw new CliException($"Dead letter {record.Partition.Value}:{record.Offset.Value} could not be replayed to '{target}' ({results.Count} replayed before it): {e.Error.Reason}", ExitCodes.Failed, e);
                        }
                    }
                    else
                    {
                        entry["to"] = new JsonObject { ["topic"] = target };
                    }

                    results.Add(entry);
                    if (!context.Output.Json)
                    {
                        var destination = entry["to"]!;
                        context.Output.WriteLine($"{deadLetters}[{record.Partition.Value}]@{record.Offset.Value} -> {destination["topic"]}" + (destination["partition"] is null ? " (dry run)" : $"[{destination["partition"]}]@{destination["offset"]}"));
                    }
                }

                return results.Count;
            }).ConfigureAwait(false);
        }
        finally
        {
            producer?.Dispose();
        }

        if (context.Output.Json)
        {
            context.Output.WriteJson(new JsonObject { ["replayed"] = dryRun ? 0 : results.Count, ["dryRun"] = dryRun, ["records"] = results });
        }

        context.Output.Info(dryRun ? $"Would replay {results.Count} dead letter(s)." : $"Replayed {results.Count} dead letter(s).");
        return ExitCodes.Ok;
    }

    private static JsonObject DeadLetter(Headers? headers) => new()
    {
        ["errorType"] = RecordJson.HeaderText(headers, DeadLetterHeaders.ExceptionType),
        ["errorMessage"] = RecordJson.HeaderText(headers, DeadLetterHeaders.ExceptionMessage),
        ["originalTopic"] = RecordJson.HeaderText(headers, DeadLetterHeaders.OriginalTopic),
        ["originalPartition"] = ParseLong(RecordJson.HeaderText(headers, DeadLetterHeaders.OriginalPartition)),
        ["originalOffset"] = ParseLong(RecordJson.HeaderText(headers, DeadLetterHeaders.OriginalOffset)),
        ["attempts"] = ParseLong(RecordJson.HeaderText(headers, DeadLetterHeaders.Attempts)),
        ["group"] = RecordJson.HeaderText(headers, DeadLetterHeaders.ConsumerGroup),
        ["failedAt"] = RecordJson.HeaderText(headers, DeadLetterHeaders.FailedAt),
    };

    private static long? ParseLong(string? text) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string Shorten(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
