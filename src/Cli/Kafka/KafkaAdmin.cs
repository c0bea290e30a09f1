using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace KafkaTyped.Cli.Kafka;

/// <summary>
/// The admin operations commands share, each with a bounded wait and one clear error: metadata (served by the embedded
/// cluster too), offsets (ListOffsets) and committed offsets (OffsetFetch with explicit partitions).
/// </summary>
internal sealed class KafkaAdmin(CliContext context) : IDisposable
{
    private IAdminClient? admin;

    public IAdminClient Client => admin ??= context.CreateAdminClient();

    /// <summary>Metadata of every topic. A request for all topics never auto-creates one (a request naming an unknown topic would, on the embedded cluster).</summary>
    public Metadata GetMetadata()
    {
        try
        {
            return Client.GetMetadata(context.Timeout);
        }
        catch (KafkaException e)
        {
            throw Unreachable(e);
        }
    }

    /// <summary>The topic's metadata, or a not-found error.</summary>
    public TopicMetadata RequireTopic(string topic)
    {
        var found = GetMetadata().Topics.FirstOrDefault(t => string.Equals(t.Topic, topic, StringComparison.Ordinal));
        if (found is null || found.Error.Code == ErrorCode.UnknownTopicOrPart)
        {
            throw new CliException($"Topic '{topic}' does not exist on {context.Cluster.Describe()}.", ExitCodes.NotFound);
        }

        return found;
    }

    /// <summary>Low and high watermarks of each partition.</summary>
    public async Task<Dictionary<TopicPartition, (long Low, long High)>> GetWatermarksAsync(IReadOnlyCollection<TopicPartition> partitions)
    {
        var result = new Dictionary<TopicPartition, (long, long)>();
        if (partitions.Count == 0)
        {
            return result;
        }

        var low = await ListOffsetsAsync(partitions, OffsetSpec.Earliest()).ConfigureAwait(false);
        var high = await ListOffsetsAsync(partitions, OffsetSpec.Latest()).ConfigureAwait(false);
        foreach (var partition in partitions)
        {
            result[partition] = (low.GetValueOrDefault(partition, -1), high.GetValueOrDefault(partition, -1));
        }

        return result;
    }

    /// <summary>A group's committed offsets for the given partitions (null = every partition it committed, on a real cluster).</summary>
    public async Task<IReadOnlyList<TopicPartitionOffsetError>> GetCommittedAsync(string group, IReadOnlyCollection<TopicPartition>? partitions)
    {
        try
        {
            var results = await Client.ListConsumerGroupOffsetsAsync(
                [new ConsumerGroupTopicPartitions(group, partitions?.ToList())],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = context.Timeout }).ConfigureAwait(false);
            return results.SelectMany(r => r.Partitions).ToList();
        }
        catch (ListConsumerGroupOffsetsException e)
        {
            throw new CliException($"The committed offsets of group '{group}' could not be read: {e.Results.FirstOrDefault()?.Error.Reason ?? e.Message}", ExitCodes.Failed, e);
        }
        catch (KafkaException e)
        {
            throw Unreachable(e);
        }
    }

    public void Dispose() => admin?.Dispose();

    public CliException Unreachable(KafkaException e) =>
        new($"{Capitalize(context.Cluster.Describe())} cannot be reached within {context.Timeout.TotalSeconds:0.#} s: {e.Error.Reason}", ExitCodes.Unavailable, e);

    private async Task<Dictionary<TopicPartition, long>> ListOffsetsAsync(IEnumerable<TopicPartition> partitions, OffsetSpec spec)
    {
        try
        {
            var result = await Client.ListOffsetsAsync(
                partitions.Select(p => new TopicPartitionOffsetSpec { TopicPartition = p, OffsetSpec = spec }),
                new ListOffsetsOptions { RequestTimeout = context.Timeout }).ConfigureAwait(false);
            return result.ResultInfos.ToDictionary(r => r.TopicPartitionOffsetError.TopicPartition, r => r.TopicPartitionOffsetError.Offset.Value);
        }
        catch (ListOffsetsException e)
        {
            throw new CliException($"Offsets could not be read: {e.Error.Reason}", ExitCodes.Failed, e);
        }
        catch (KafkaException e)
        {
            throw Unreachable(e);
        }
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
