using Confluent.Kafka;

namespace KafkaTyped.Consuming;

/// <summary>
/// The partitions this member owns right now, each with its <see cref="PartitionWorker"/>: the lookup the poll loop
/// uses per record, the list of paused partitions, and the snapshot the lag gauge reads.
/// </summary>
/// <remarks>Changed and read by the poll thread (rebalance callbacks run there too); <see cref="Snapshot"/> is read by the lag gauge under the runner's lock.</remarks>
internal sealed class PartitionSet
{
    private readonly Dictionary<TopicPartition, PartitionWorker> workers = new();
    private readonly Func<TopicPartition, PartitionWorker> create;
    private (string Topic, PartitionWorker?[] ByPartition)[] index = [];

    public PartitionSet(Func<TopicPartition, PartitionWorker> create) => this.create = create;

    /// <summary>Partitions paused for back-pressure, in the order they were paused.</summary>
    public List<PartitionWorker> Paused { get; } = new();

    /// <summary>The owned partitions as an array, rebuilt on every change (read by the lag gauge).</summary>
    public PartitionWorker[] Snapshot { get; private set; } = [];

    public int Count => workers.Count;

    /// <summary>Changes with every partition added or removed (the poll loop re-applies user pauses then).</summary>
    public int Generation { get; private set; }

    public IEnumerable<PartitionWorker> All => workers.Values;

    public bool Contains(TopicPartition partition) => workers.ContainsKey(partition);

    public bool TryGet(TopicPartition partition, out PartitionWorker worker) => workers.TryGetValue(partition, out worker!);

    /// <summary>Starts a worker for a newly owned partition.</summary>
    public PartitionWorker Add(TopicPartition partition)
    {
        var worker = create(partition);
        workers.Add(partition, worker);
        Generation++;
        Changed();
        return worker;
    }

    /// <summary>
    /// Replaces a partition's worker with a fresh one (after an aborted transaction): the old one stops taking records
    /// (its lanes finish the record they run and drop the rest) and the new one starts empty.
    /// </summary>
    /// <returns>The old worker's lanes, finished once they stopped.</returns>
    public Task Replace(PartitionWorker worker, out PartitionWorker replacement)
    {
        var stopped = worker.StopAccepting();
        worker.Removed = true;
        Paused.Remove(worker);
        replacement = create(worker.TopicPartition);
        replacement.UserPaused = worker.UserPaused;
        workers[worker.TopicPartition] = replacement;
        Generation++;
        Changed();
        return stopped;
    }

    /// <summary>Forgets a partition: its worker is marked removed (staged records are never handed over) and unpaused.</summary>
    /// <returns>True when the partition was paused (librdkafka keeps the pause flag across assignments: resume it before giving it away).</returns>
    public bool Remove(PartitionWorker worker)
    {
        workers.Remove(worker.TopicPartition);
        worker.Removed = true;
        var wasPaused = Paused.Remove(worker) | worker.UserPaused;
        worker.Paused = false;
        worker.UserPaused = false;
        Generation++;
        Changed();
        return wasPaused;
    }

    /// <summary>
    /// The worker of a record's partition, without building a <see cref="TopicPartition"/> (the client allocates a new one
    /// on every <c>ConsumeResult.TopicPartition</c> read): a short scan over topics, then an array index.
    /// </summary>
    public PartitionWorker? Find(string topic, int partition)
    {
        foreach (var (name, byPartition) in index)
        {
            if (string.Equals(name, topic, StringComparison.Ordinal))
            {
                return (uint)partition < (uint)byPartition.Length ? byPartition[partition] : null;
            }
        }

        return null;
    }

    private void Changed()
    {
        Snapshot = [.. workers.Values];
        var byTopic = new Dictionary<string, PartitionWorker?[]>(StringComparer.Ordinal);
        foreach (var worker in Snapshot)
        {
            var topic = worker.TopicPartition.Topic;
            var partition = worker.TopicPartition.Partition.Value;
            byTopic.TryGetValue(topic, out var array);
            if (array is null || array.Length <= partition)
            {
                var grown = new PartitionWorker?[Math.Max(partition + 1, array?.Length ?? 0)];
                array?.CopyTo(grown, 0);
                array = grown;
            }

            array[partition] = worker;
            byTopic[topic] = array;
        }

        index = [.. byTopic.Select(static pair => (pair.Key, pair.Value))];
    }
}
