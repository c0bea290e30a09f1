using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;

namespace KafkaTyped.Consuming.Batching;

/// <summary>
/// A lane's loop in a group with batch handlers: gathers the records its poll bursts bring until a bound of
/// <see cref="BatchOptions"/> is reached (count, bytes, or <see cref="BatchOptions.MaxWait"/> after the first record),
/// has <see cref="BatchRecordProcessor"/> handle them, and only then reports them completed, so their offsets are
/// committed after the batch.
/// </summary>
/// <remarks>
/// One gathered batch at a time per lane: a partition's (a key-hash lane's) batches run one after another. Records
/// gathered but not started when the partition stops are dropped uncommitted (its next owner reads them again); a batch
/// already running finishes within the drain timeout.
/// </remarks>
internal static class BatchLane
{
    public static async Task RunAsync(PartitionWorker partition, ChannelReader<RecordBatch> reader, BatchRecordProcessor processor, CancellationToken cancellationToken)
    {
        var bounds = processor.Batch;
        var maxMessages = Math.Max(1, bounds.MaxMessages);
        long maxBytes = Math.Max(1, bounds.MaxBytes);
        var maxWait = bounds.MaxWait;
        var records = new ConsumeResult<byte[], byte[]>[maxMessages];
        var slots = new int[maxMessages];
        await using var scope = processor.CreateLaneScope();
        RecordBatch chunk = default;
        var hasChunk = false;
        var taken = 0;
        var count = 0;
        long bytes = 0;
        long firstAt = 0;
        CancellationTokenSource? timer = null;
        try
        {
            while (true)
            {
                var full = false;
                while (!full)
                {
                    if (!hasChunk)
                    {
                        if (!reader.TryRead(out chunk))
                        {
                            break;
                        }

                        hasChunk = true;
                        taken = 0;
                    }

                    if (taken == chunk.Count)
                    {
                        chunk.Return();
                        hasChunk = false;
                        continue;
                    }

                    var record = chunk.Records[taken];
                    var size = SizeOf(record);
                    if (count > 0 && bytes + size > maxBytes)
                    {
                        // The record starts the next batch.
                        full = true;
                        break;
                    }

                    taken++;
                    if (count == 0)
                    {
                        firstAt = Stopwatch.GetTimestamp();
                    }

                    records[count++] = record;
                    bytes += size;
                    full = count == maxMessages || bytes >= maxBytes;
                }

                if (partition.Stopping)
                {
                    return;
                }

                if (count == 0)
                {
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        return;
                    }

                    continue;
                }

                if (!full)
                {
                    var remaining = maxWait - Stopwatch.GetElapsedTime(firstAt);
                    if (remaining > TimeSpan.Zero)
                    {
                        timer ??= new CancellationTokenSource();
                        timer.CancelAfter(remaining);
                        bool open;
                        var timedOut = false;
                        try
                        {
                            open = await reader.WaitToReadAsync(timer.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (timer.IsCancellationRequested)
                        {
                            open = true;
                            timedOut = true;
                        }

                        if (!timer.TryReset())
                        {
                            timer.Dispose();
                            timer = null;
                        }

                        if (!open)
                        {
                            // No more records will come: the partition stops, and the gathered ones were never started.
                            return;
                        }

                        if (!timedOut)
                        {
                            continue;
                        }
                    }
                }

                var handled = await processor.ProcessRunAsync(records, count, slots, partition, scope, cancellationToken).ConfigureAwait(false);
                partition.Completed(records, 0, handled);
                if (handled < count)
                {
                    // Cancelled (or the partition stopped) mid-batch: the rest stays uncommitted, and so does
                    // everything after it in this partition.
                    return;
                }

                Array.Clear(records, 0, count);
                count = 0;
                bytes = 0;

                // One DI scope per batch under HandlerScope.PerBatch.
                await scope.EndAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (hasChunk)
            {
                chunk.Return();
            }

            // Batches never handled go back to the pool; their records are uncommitted and read again by the next owner.
            while (reader.TryRead(out var left))
            {
                left.Return();
            }

            timer?.Dispose();
        }
    }

    private static long SizeOf(ConsumeResult<byte[], byte[]> record) =>
        (record.Message?.Key?.LongLength ?? 0) + (record.Message?.Value?.LongLength ?? 0);
}
