using System.Threading.Channels;
using Confluent.Kafka;

namespace KafkaTyped.Consuming;

/// <summary>
/// Processes the records of one assigned partition: one lane (strict order) or several key-hash lanes (per-key order),
/// each a sequential loop over its own queue, and the partition's <see cref="OffsetTracker"/>.
/// </summary>
/// <remarks>
/// Only the poll thread calls <see cref="Stage"/>, <see cref="Flush"/> and <see cref="StopAccepting"/>. On stop, records queued but not yet
/// started are dropped (they were not committed, so the partition's next owner reads them again); started ones finish.
/// </remarks>
internal sealed class PartitionWorker
{
    private readonly MessageProcessor processor;
    private readonly Channel<ConsumeResult<byte[], byte[]>>[] lanes;
    private readonly Task[] laneTasks;
    private readonly CancellationTokenSource cancellation;
    private readonly Action onCompleted;
    private readonly int capacity;
    private readonly List<ConsumeResult<byte[], byte[]>> stagedRecords = new();
    private int buffered;
    private volatile bool stopping;

    public PartitionWorker(TopicPartition partition, MessageProcessor processor, int laneCount, int capacity, CancellationToken stopToken, Action onCompleted)
    {
        TopicPartition = partition;
        this.processor = processor;
        this.capacity = Math.Max(1, capacity);
        this.onCompleted = onCompleted;
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        lanes = new Channel<ConsumeResult<byte[], byte[]>>[Math.Max(1, laneCount)];
        laneTasks = new Task[lanes.Length];
        for (var i = 0; i < lanes.Length; i++)
        {
            lanes[i] = Channel.CreateUnbounded<ConsumeResult<byte[], byte[]>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var reader = lanes[i].Reader;
            laneTasks[i] = Task.Run(() => RunLaneAsync(reader));
        }
    }

    public TopicPartition TopicPartition { get; }

    public OffsetTracker Offsets { get; } = new();

    /// <summary>True while the poll loop keeps this partition paused for back-pressure.</summary>
    public bool Paused { get; set; }

    /// <summary>The offset of the last record handed to this worker, or -1.</summary>
    public long LastReceivedOffset { get; private set; } = -1;

    /// <summary>Records queued or running.</summary>
    public int Buffered => Volatile.Read(ref buffered);

    /// <summary>True when the partition should be paused.</summary>
    public bool IsFull => Buffered >= capacity;

    /// <summary>True when a paused partition may resume (half the buffer is free, to avoid flapping).</summary>
    public bool CanResume => Buffered <= capacity / 2;

    /// <summary>True once the partition was revoked or lost; staged records are then never handed over.</summary>
    public bool Removed { get; set; }

    /// <summary>True when <see cref="Stage"/> was called since the last <see cref="Flush"/>.</summary>
    public bool HasStaged => stagedRecords.Count > 0;

    /// <summary>Registers a record (its offset is now pending) to be handed to its lane at the next <see cref="Flush"/>.</summary>
    public void Stage(ConsumeResult<byte[], byte[]> record)
    {
        LastReceivedOffset = record.Offset.Value;
        Offsets.Add(record.Offset.Value);
        Interlocked.Increment(ref buffered);
        stagedRecords.Add(record);
    }

    /// <summary>Hands the staged records to their lanes.</summary>
    public void Flush()
    {
        foreach (var record in stagedRecords)
        {
            var lane = lanes.Length == 1 ? 0 : LaneOf(record.Message.Key, record.Offset.Value, lanes.Length);
            lanes[lane].Writer.TryWrite(record);
        }

        stagedRecords.Clear();
    }

    /// <summary>Stops taking records; the returned task completes when the running ones finished.</summary>
    public Task StopAccepting()
    {
        stopping = true;
        foreach (var lane in lanes)
        {
            lane.Writer.TryComplete();
        }

        return Task.WhenAll(laneTasks);
    }

    /// <summary>Cancels the handlers still running (drain timeout exceeded, or the partition was lost).</summary>
    public void Cancel() => cancellation.Cancel();

    public void Dispose() => cancellation.Dispose();

    private static int LaneOf(byte[]? key, long offset, int laneCount)
    {
        if (key is null || key.Length == 0)
        {
            // No key, no order to keep: spread by offset.
            return (int)((ulong)offset % (ulong)laneCount);
        }

        // FNV-1a: cheap, stable, and independent of the partitioner's hash so lanes stay balanced within a partition.
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)laneCount);
    }

    private async Task RunLaneAsync(ChannelReader<ConsumeResult<byte[], byte[]>> reader)
    {
        var token = cancellation.Token;
        await using var scope = processor.CreateLaneScope();
        var maxPerScope = processor.MaxMessagesPerScope;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // One batch: what the lane can handle without waiting, at most maxPerScope records, in one DI scope.
            for (var handled = 0; handled < maxPerScope && !stopping && reader.TryRead(out var record); handled++)
            {
                if (!await processor.ProcessAsync(record, scope, token).ConfigureAwait(false))
                {
                    // Cancelled before the record was handled or dead-lettered: it stays uncommitted, and so does
                    // everything after it in this partition.
                    return;
                }

                Offsets.Complete(record.Offset.Value);
                Interlocked.Decrement(ref buffered);
                onCompleted();
            }

            await scope.EndAsync().ConfigureAwait(false);
            if (stopping)
            {
                return;
            }
        }
    }
}
