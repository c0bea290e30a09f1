using System.CommandLine;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.Cli.Kafka;
using KafkaTyped.Cli.Protobuf;

namespace KafkaTyped.Cli.Commands;

/// <summary>
/// <c>kafkatyped consume &lt;topic&gt;</c>: the console consumer, typed. Every Confluent-framed Protobuf value is decoded
/// with the schema the registry has for its id; no compiled types are needed.
/// </summary>
internal static class ConsumeCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic." };
        var options = new ReadOptions.Parser();
        var command = new Command("consume", "Print records with decoded values: key, partition, offset, timestamp, headers, type and value as JSON.") { topic };
        options.AddTo(command);
        command.SetAction((parse, ct) => Program.RunAsync(parse, ct, async (context, cancellation) =>
        {
            var schemas = new RecordJson(new RegistrySchemas(context));
            var count = await RecordReader.ReadAsync(context, parse.GetValue(topic)!, options.Read(parse), async record =>
            {
                var json = await schemas.RenderAsync(record).ConfigureAwait(false);
                Print(context.Output, json);
            }, cancellation).ConfigureAwait(false);
            context.Output.Info($"Consumed {count} record(s) from '{parse.GetValue(topic)}'.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One record: a JSON line, or a readable line plus headers and value.</summary>
    public static void Print(CliOutput output, JsonObject record)
    {
        if (output.Json)
        {
            output.WriteJsonLine(record);
            return;
        }

        var key = record["key"] is { } k ? "key=" + k.GetValue<string>() : "no key";
        var type = record["type"]?.GetValue<string>() ?? (record["value"] is null && record["error"] is null ? "(tombstone)" : "(unknown type)");
        output.WriteLine($"{record["topic"]}[{record["partition"]}]@{record["offset"]}  {record["timestamp"]}  {key}  {type}");
        if (record["headers"] is JsonObject { Count: > 0 } headers)
        {
            output.WriteLine("  headers: " + string.Join(", ", headers.Select(h => $"{h.Key}={h.Value?.ToJsonString()}")));
        }

        if (record["error"] is { } error)
        {
            output.WriteLine("  error: " + error.GetValue<string>());
        }

        if (record["value"] is { } value)
        {
            output.WriteLine("  " + value.ToJsonString());
        }
    }
}

/// <summary>Where and how long to read.</summary>
internal sealed record ReadOptions(bool FromBeginning, bool Follow, int? Partition, long? Offset, string? Group, int? Max)
{
    /// <summary>The options of commands that read a topic (consume, dlq show).</summary>
    internal sealed class Parser
    {
        private readonly Option<bool> fromBeginning = new("--from-beginning") { Description = "Start at the oldest record (default: the end, or the group's committed offsets)." };
        private readonly Option<bool> follow = new("--follow", "-f") { Description = "Keep waiting for new records until Ctrl-C (default: stop at the end of each partition)." };
        private readonly Option<int?> partition = new("--partition") { Description = "Read only this partition." };
        private readonly Option<long?> offset = new("--offset") { Description = "Start at this offset (of each partition read)." };
        private readonly Option<string?> group = new("--group", "-g") { Description = "Read as a member of this consumer group, committing what was read (lag then shows in 'groups describe')." };
        private readonly Option<int?> max = new("--max", "-n") { Description = "Stop after this many records." };

        public void AddTo(Command command)
        {
            command.Options.Add(fromBeginning);
            command.Options.Add(follow);
            command.Options.Add(partition);
            command.Options.Add(offset);
            command.Options.Add(group);
            command.Options.Add(max);
        }

        public ReadOptions Read(ParseResult parse) => new(
            parse.GetValue(fromBeginning), parse.GetValue(follow), parse.GetValue(partition), parse.GetValue(offset), parse.GetValue(group), parse.GetValue(max));
    }
}

/// <summary>Reads a topic's records in order per partition, as <see cref="ReadOptions"/> say.</summary>
internal static class RecordReader
{
    /// <returns>The number of records handed to <paramref name="onRecord"/>.</returns>
    public static async Task<int> ReadAsync(CliContext context, string topic, ReadOptions options, Func<ConsumeResult<byte[], byte[]>, Task> onRecord, CancellationToken cancellationToken)
    {
        if (options.Max is <= 0)
        {
            throw new CliException("--max must be 1 or more.", ExitCodes.Usage);
        }

        if (options.Offset is < 0)
        {
            throw new CliException("--offset must be 0 or more.", ExitCodes.Usage);
        }

        List<int> partitions;
        using (var admin = new KafkaAdmin(context))
        {
            var metadata = admin.RequireTopic(topic);
            partitions = metadata.Partitions.Select(p => p.PartitionId).Order().ToList();
        }

        if (options.Partition is { } only)
        {
            if (!partitions.Contains(only))
            {
                throw new CliException($"Topic '{topic}' has partitions 0 to {partitions.Count - 1}; --partition {only} is not one of them.", ExitCodes.Usage);
            }

            partitions = [only];
        }

        if (options.Group is { } groupId && context.Cluster.IsEmbedded)
        {
            // The embedded cluster cannot list groups; its roster in the per-machine directory can (as applications do).
            EmbeddedDirectory.RecordGroup(context.Cluster.BootstrapServers, groupId);
        }

        var config = context.CreateConsumerConfig(options.Group);
        config.AutoOffsetReset = options.FromBeginning ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest;
        var subscribe = options.Group is not null && options.Partition is null && options.Offset is null && !options.FromBeginning;
        var assigned = new HashSet<int>();
        var atEnd = new HashSet<int>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetLogHandler(static (_, _) => { })
            .SetErrorHandler(static (_, _) => { })
            .SetPartitionsAssignedHandler((_, list) =>
            {
                lock (assigned)
                {
                    foreach (var p in list)
                    {
                        assigned.Add(p.Partition.Value);
                    }
                }
            })
            .SetPartitionsRevokedHandler((_, list) =>
            {
                lock (assigned)
                {
                    foreach (var p in list)
                    {
                        assigned.Remove(p.Partition.Value);
                        atEnd.Remove(p.Partition.Value);
                    }
                }
            })
            .Build();

        if (subscribe)
        {
            consumer.Subscribe(topic);
        }
        else
        {
            var start = options.Offset is { } o ? new Offset(o) : options.FromBeginning ? Offset.Beginning : options.Group is null ? Offset.End : Offset.Stored;
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(topic, p, start)));
            lock (assigned)
            {
                assigned.UnionWith(partitions);
            }
        }

        var count = 0;
        var lastCommit = DateTime.UtcNow;
        var waitingSince = DateTime.UtcNow;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                ConsumeResult<byte[], byte[]>? result;
                try
                {
                    result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                }
                catch (ConsumeException e) when (!e.Error.IsFatal)
                {
                    throw new CliException($"Reading '{topic}' failed: {e.Error.Reason}", ExitCodes.Failed, e);
                }

                if (result is not null)
                {
                    if (result.IsPartitionEOF)
                    {
                        lock (assigned)
                        {
                            atEnd.Add(result.Partition.Value);
                        }
                    }
                    else
                    {
                        lock (assigned)
                        {
                            atEnd.Remove(result.Partition.Value);
                        }

                        await onRecord(result).ConfigureAwait(false);
                        count++;
                        if (options.Group is not null)
                        {
                            consumer.StoreOffset(result);
                        }

                        if (options.Max is { } max && count >= max)
                        {
                            break;
                        }
                    }
                }

                if (options.Group is not null && DateTime.UtcNow - lastCommit > TimeSpan.FromSeconds(1))
                {
                    Commit(consumer);
                    lastCommit = DateTime.UtcNow;
                }

                if (!options.Follow)
                {
                    lock (assigned)
                    {
                        if (assigned.Count > 0 && assigned.IsSubsetOf(atEnd))
                        {
                            break;
                        }

                        if (assigned.Count == 0 && DateTime.UtcNow - waitingSince > context.Timeout + TimeSpan.FromSeconds(10))
                        {
                            throw new CliException($"Group '{options.Group}' was assigned no partition of '{topic}' (other members hold them all?).", ExitCodes.Failed);
                        }
                    }
                }
            }
        }
        finally
        {
            if (options.Group is not null)
            {
                Commit(consumer);
            }

            consumer.Close();
        }

        return count;
    }

    private static void Commit(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // nothing read since the last commit
        }
        catch (TopicPartitionOffsetException)
        {
        }
    }
}
