using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Confluent.Kafka;

namespace KafkaTyped.Consuming;

/// <summary>
/// One sequential line of work inside a partition: the records of the keys that hash to it (or all of the partition's
/// records with one lane), handled strictly in offset order by one task.
/// </summary>
/// <remarks>
/// <para>The poll thread stages records and hands them over in batches, one per chunk of its partition's records or
/// poll burst (one channel write and at most one wake-up per batch instead of one per record). The lane handles a batch
/// without awaiting anything when the handlers complete synchronously, and reports completions to its partition per
/// batch, or before it has to wait for a handler, so commits keep up with slow handlers too.</para>
/// <para>Only the poll thread calls <see cref="Stage"/>, <see cref="Flush"/> and <see cref="Complete"/>; the lane's own
/// task runs <see cref="RunAsync"/>.</para>
/// </remarks>
internal sealed class Lane
{
    private const int InitialBatch = 16;

    private readonly PartitionWorker partition;
    private readonly Channel<RecordBatch> queue = Channel.CreateUnbounded<RecordBatch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private ConsumeResult<byte[], byte[]>[]? staging;
    private int staged;

    public Lane(PartitionWorker partition) => this.partition = partition;

    /// <summary>Adds a record to the batch handed over at the next <see cref="Flush"/>.</summary>
    public void Stage(ConsumeResult<byte[], byte[]> record)
    {
        if (staging is null)
        {
            staging = ArrayPool<ConsumeResult<byte[], byte[]>>.Shared.Rent(InitialBatch);
        }
        else if (staged == staging.Length)
        {
            var grown = ArrayPool<ConsumeResult<byte[], byte[]>>.Shared.Rent(staging.Length * 2);
            Array.Copy(staging, grown, staged);
            ArrayPool<ConsumeResult<byte[], byte[]>>.Shared.Return(staging, clearArray: true);
            staging = grown;
        }

        staging[staged++] = record;
    }

    /// <summary>Hands the staged records to the lane's task as one batch.</summary>
    public void Flush()
    {
        if (staged == 0)
        {
            return;
        }

        queue.Writer.TryWrite(new RecordBatch(staging!, staged));
        staging = null;
        staged = 0;
    }

    /// <summary>
    /// Hands the lane a record the poll thread started and that awaits (<see cref="PartitionWorker"/>): the lane awaits it
    /// in its turn, then ends the scope it ran in and reports it. Nothing of the lane's may be staged.
    /// </summary>
    public void HandOverRunning(ConsumeResult<byte[], byte[]> record, ValueTask<bool> running, LaneScope scope)
    {
        var records = ArrayPool<ConsumeResult<byte[], byte[]>>.Shared.Rent(1);
        records[0] = record;
        queue.Writer.TryWrite(new RecordBatch(records, 1) { Running = new RunningRecord(running, scope) });
    }

    /// <summary>No more batches: the task ends after the one it is handling (records queued behind it are dropped).</summary>
    public void Complete()
    {
        queue.Writer.TryComplete();
        if (staging is not null)
        {
            ArrayPool<ConsumeResult<byte[], byte[]>>.Shared.Return(staging, clearArray: true);
            staging = null;
            staged = 0;
        }
    }

    /// <summary>The lane's loop: handles batches in order until <see cref="Complete"/> or cancellation.</summary>
    public async Task RunAsync(IRecordProcessor processor, CancellationToken cancellationToken)
    {
        if (processor is Batching.BatchRecordProcessor batching)
        {
            // A group with batch handlers gathers records before handling them; decided once per lane, so the
            // single-record loop below is untouched.
            await Batching.BatchLane.RunAsync(partition, queue.Reader, batching, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var scope = processor.CreateLaneScope();
        var maxPerScope = processor.MaxMessagesPerScope;
        var reportEvery = partition.ReportEvery;
        var inScope = 0;
        var reader = queue.Reader;
        var runs = partition.PollThreadRuns;
        var sampled = 0;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (!partition.Stopping && reader.TryRead(out var batch))
                {
                    if (batch.Running is { } running)
                    {
                        if (!await running.FinishAsync().ConfigureAwait(false))
                        {
                            batch.Return();
                            return;
                        }

                        partition.Completed(batch.Records, 0, 1);
                        batch.Return();
                        continue;
                    }

                    try
                    {
                        var reported = 0;
                        var handled = 0;
                        for (; handled < batch.Count && !partition.Stopping; handled++)
                        {
                            var started = runs is not null && ++sampled % PollThreadRuns.SampleEvery == 0 ? Stopwatch.GetTimestamp() : 0;
                            var processing = processor.ProcessAsync(batch.Records[handled], scope, cancellationToken);
                            if (started != 0 && processing.IsCompletedSuccessfully)
                            {
                                runs!.Observe(started);
                            }

                            if (!processing.IsCompletedSuccessfully)
                            {
                                runs?.SawAwait();
                                // About to wait for a handler: report what is done so far, so commits advance meanwhile.
                                partition.Completed(batch.Records, reported, handled);
                                reported = handled;
                                if (!await processing.ConfigureAwait(false))
                                {
                                    // Cancelled before it was handled or dead-lettered: it stays uncommitted, and so
                                    // does everything after it in this partition.
                                    return;
                                }
                            }
                            else if (!processing.Result)
                            {
                                partition.Completed(batch.Records, reported, handled);
                                return;
                            }

                            if (handled + 1 - reported >= reportEvery)
                            {
                                // Report within long batches too, so the poll loop can stage more while this lane works.
                                partition.Completed(batch.Records, reported, handled + 1);
                                reported = handled + 1;
                            }

                            if (++inScope >= maxPerScope)
                            {
                                await scope.EndAsync().ConfigureAwait(false);
                                inScope = 0;
                            }
                        }

                        partition.Completed(batch.Records, reported, handled);
                    }
                    finally
                    {
                        batch.Return();
                    }
                }

                // The lane is out of work: the batch of one scope ends here (a PerBatch scope never outlives a pause).
                await scope.EndAsync().ConfigureAwait(false);
                inScope = 0;
                if (partition.Stopping)
                {
                    return;
                }
            }
        }
        finally
        {
            // Batches never handled go back to the pool; their records are uncommitted and read again by the next owner.
            while (reader.TryRead(out var left))
            {
                // A record the poll thread started is running: it finishes (it may not be dropped half-done), and counts.
                if (left.Running is { } running && await running.FinishAsync().ConfigureAwait(false))
                {
                    partition.Completed(left.Records, 0, 1);
                }

                left.Return();
            }
        }
    }
}

/// <summary>Records handed to a lane in one go; the array is pooled and returned once the lane is done with it.</summary>
internal readonly record struct RecordBatch(ConsumeResult<byte[], byte[]>[] Records, int Count)
{
    /// <summary>For a batch of the one record the poll thread started: its processing, still running.</summary>
    public RunningRecord? Running { get; init; }

    public void Return() => ArrayPool<ConsumeResult<byte[], byte[]>>.Shared.Return(Records, clearArray: true);
}

/// <summary>A record the poll thread started, awaiting on its lane: its processing and the scope it runs in.</summary>
internal sealed class RunningRecord(ValueTask<bool> running, LaneScope scope)
{
    /// <summary>Awaits the processing (exactly once), then ends its scope; false when it was cancelled first.</summary>
    public async ValueTask<bool> FinishAsync()
    {
        try
        {
            return await running.ConfigureAwait(false);
        }
        finally
        {
            await scope.EndAsync().ConfigureAwait(false);
        }
    }
}
