using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaTyped.Consuming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaTyped.Tests.Consuming;

/// <summary>The hand-over from the poll thread to a partition's lane.</summary>
public sealed class PartitionWorkerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_long_run_of_one_partition_reaches_an_idle_lane_in_chunks_of_half_the_buffer_before_the_burst_ends()
    {
        var processor = new RecordingProcessor();
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { });
        try
        {
            Assert.Equal(500, worker.HandOverEvery);
            Assert.Equal(125, worker.ReportEvery);

            // A burst of one partition, not flushed yet: its first 500 records reach the lane at once.
            StageRange(worker, 0, 500);
            await processor.WaitForAsync(500);
            await WaitUntilAsync(() => worker.Buffered == 0, "the lane to report its 500 records");

            // The lane is idle now: fewer than 500 more stay staged (a chunk wakes the lane, so it must be worth it).
            StageRange(worker, 500, 999);
            Assert.Equal(0, worker.Offsets.Pending);
            Assert.Equal(500, processor.Offsets.Count);

            // The 500th staged record hands the chunk over.
            StageRange(worker, 999, 1000);
            await processor.WaitForAsync(1000);
            Assert.Equal(Enumerable.Range(0, 1000).Select(static i => (long)i), processor.Offsets);

            // The burst's end hands over the rest.
            StageRange(worker, 1000, 1200);
            Assert.True(worker.HasStaged);
            worker.Flush();
            await processor.WaitForAsync(1200);
            Assert.Equal(Enumerable.Range(0, 1200).Select(static i => (long)i), processor.Offsets);
            Assert.False(worker.HasStaged);

            // Every offset handed over in a chunk was pending before its lane completed it: the commit covers them all.
            await WaitForCommitAsync(worker, 1200);
        }
        finally
        {
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_busy_lane_gets_staged_records_every_ReportEvery_records()
    {
        var processor = new RecordingProcessor { HoldFirst = true };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { });
        try
        {
            // The first chunk reaches the lane, whose handler holds on to the first record: the lane is busy.
            StageRange(worker, 0, 500);
            await processor.WaitForAsync(1);
            Assert.Equal(500, worker.Offsets.Pending);

            // Handing records to a lane that is still working costs no wake-up: they go over every ReportEvery (125).
            StageRange(worker, 500, 625);
            Assert.Equal(625, worker.Offsets.Pending);
            StageRange(worker, 625, 700);
            Assert.Equal(625, worker.Offsets.Pending);

            processor.ReleaseFirst();
            worker.Flush();
            await processor.WaitForAsync(700);
            Assert.Equal(Enumerable.Range(0, 700).Select(static i => (long)i), processor.Offsets);
            await WaitForCommitAsync(worker, 700);
        }
        finally
        {
            processor.ReleaseFirst();
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    private static void StageRange(PartitionWorker worker, int from, int to)
    {
        for (var offset = from; offset < to; offset++)
        {
            worker.Stage(Record(offset));
        }
    }

    private static async Task WaitForCommitAsync(PartitionWorker worker, long expected)
    {
        long position = -1;
        await WaitUntilAsync(() => worker.Offsets.TryGetCommit(out position) && position >= expected, $"the commit position to reach {expected}");
        Assert.Equal(expected, position);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(10);
        }
    }

    private static ConsumeResult<byte[], byte[]> Record(long offset) =>
        new() { Topic = "t", Partition = 0, Offset = offset, Message = new Message<byte[], byte[]> { Value = [] } };

    /// <summary>Records the offsets its lane hands it, in order; optionally holds the first record until released.</summary>
    private sealed class RecordingProcessor : IRecordProcessor
    {
        private readonly ConcurrentQueue<long> offsets = new();
        private readonly SemaphoreSlim processed = new(0);
        private readonly TaskCompletionSource<bool> first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HoldFirst { get; init; }

        public IReadOnlyList<long> Offsets => [.. offsets];

        public int MaxMessagesPerScope => int.MaxValue;

        public LaneScope CreateLaneScope() => new(new ServiceCollection().BuildServiceProvider(), HandlerScope.Root, "g", NullLogger.Instance);

        public ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
        {
            offsets.Enqueue(record.Offset.Value);
            processed.Release();
            return HoldFirst && record.Offset.Value == 0 ? new ValueTask<bool>(first.Task) : new ValueTask<bool>(true);
        }

        public void ReleaseFirst() => first.TrySetResult(true);

        public async Task WaitForAsync(int count)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (offsets.Count < count)
            {
                var left = deadline - DateTime.UtcNow;
                Assert.True(left > TimeSpan.Zero, $"the lane got {offsets.Count} of {count} records");
                await processed.WaitAsync(left);
            }
        }
    }
}
