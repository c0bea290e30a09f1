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

    [Fact]
    public async Task Once_its_lanes_saw_fast_synchronous_handlers_an_idle_partition_runs_its_records_on_the_poll_thread()
    {
        var processor = new RecordingProcessor { CanRunOnPollThread = true };
        var completed = 0;
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, count => Interlocked.Add(ref completed, count), fastEnough: long.MaxValue);
        try
        {
            // A new partition starts on its lanes, which time one record in eight: 40 records give five samples.
            await LearnOnLanesAsync(worker, processor, 40);
            Assert.DoesNotContain(processor.Runs, static run => run.OnPollThread);

            // Now each record of the idle partition runs inside Stage: handled, and its offset committable, at once.
            StageRange(worker, 40, 50);
            Assert.Equal(Enumerable.Range(0, 50).Select(static i => (long)i), processor.Offsets);
            Assert.All(processor.Runs.Skip(40), static run => Assert.True(run.OnPollThread));
            Assert.True(worker.Offsets.TryGetCommit(out var position));
            Assert.Equal(50, position);
            Assert.Equal(0, worker.Buffered);

            // They share one DI scope, which ends with the burst; their count reaches the commit cadence then too.
            Assert.Single(processor.Runs.Skip(40).Select(static run => run.Probe).Distinct());
            Assert.NotSame(processor.Runs[0].Probe, processor.Runs[40].Probe);
            Assert.False(processor.Runs[40].Probe.Disposed);
            worker.Flush();
            Assert.True(processor.Runs[40].Probe.Disposed);
            Assert.Equal(50, Volatile.Read(ref completed));

            // The next burst gets a fresh DI scope (in the same holder, which the poll thread keeps).
            StageRange(worker, 50, 51);
            Assert.NotSame(processor.Runs[40].Probe, processor.Runs[50].Probe);
            Assert.Same(processor.Runs[40].Scope, processor.Runs[50].Scope);
        }
        finally
        {
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task Once_its_handlers_proved_fast_the_poll_thread_takes_a_busy_partition_over_as_soon_as_its_lane_finishes()
    {
        // The lane blocks on the last of the first 40 records: by then it has timed four fast samples (the 8th, 16th,
        // 24th and 32nd record), so the partition may run on the poll thread, but its lane still holds records.
        var processor = new RecordingProcessor { CanRunOnPollThread = true, BlockAt = 39 };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { }, fastEnough: long.MaxValue, takeOverWaitMilliseconds: (int)Patience.TotalMilliseconds);
        try
        {
            StageRange(worker, 0, 40);
            worker.Flush();
            await processor.WaitForAsync(40);
            Assert.Equal(40, worker.Buffered);

            // The next record waits for the lane instead of queueing behind it; once the lane is done it runs on the
            // poll thread, and so does everything after it.
            var staging = Task.Run(() => StageRange(worker, 40, 50));
            await WaitUntilAsync(() => worker.WaitingToTakeOver, "the poll thread to wait for the lane");
            Assert.Equal(40, processor.Offsets.Count);
            processor.Unblock();
            await staging.WaitAsync(Patience);

            Assert.Equal(Enumerable.Range(0, 50).Select(static i => (long)i), processor.Offsets);
            Assert.All(processor.Runs.Skip(40), static run => Assert.True(run.OnPollThread));
            Assert.Equal(1, worker.TakeOverWaits);
            Assert.Equal(0, worker.Buffered);
            Assert.True(worker.Offsets.TryGetCommit(out var position));
            Assert.Equal(50, position);
        }
        finally
        {
            processor.Unblock();
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_take_over_wait_that_runs_out_leaves_the_records_to_the_lane_and_is_not_repeated_for_the_next_ones()
    {
        var processor = new RecordingProcessor { CanRunOnPollThread = true, BlockAt = 39 };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { }, fastEnough: long.MaxValue, takeOverWaitMilliseconds: 1);
        try
        {
            StageRange(worker, 0, 40);
            worker.Flush();
            await processor.WaitForAsync(40);

            // The lane stays blocked: the first record's wait runs out, and the records after it queue on the lane
            // without waiting again, in this burst or the next ones.
            StageRange(worker, 40, 45);
            worker.Flush();
            StageRange(worker, 45, 50);
            worker.Flush();
            Assert.Equal(1, worker.TakeOverWaits);
            processor.Unblock();
            await processor.WaitForAsync(50);

            Assert.Equal(Enumerable.Range(0, 50).Select(static i => (long)i), processor.Offsets);
            Assert.DoesNotContain(processor.Runs, static run => run.OnPollThread);
            await WaitForCommitAsync(worker, 50);
        }
        finally
        {
            processor.Unblock();
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_record_that_awaits_on_the_poll_thread_finishes_on_its_lane_before_anything_after_it()
    {
        var processor = new RecordingProcessor { CanRunOnPollThread = true, Hold = 40 };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { }, fastEnough: long.MaxValue);
        try
        {
            await LearnOnLanesAsync(worker, processor, 40);

            // Offset 40 starts on the poll thread and awaits: the records after it are staged for the lane behind it.
            StageRange(worker, 40, 46);
            worker.Flush();
            Assert.True(processor.Runs[40].OnPollThread);
            Assert.Equal(6, worker.Buffered);
            Assert.Equal(41, processor.Offsets.Count);
            Assert.True(worker.Offsets.TryGetCommit(out var position));
            Assert.Equal(40, position);

            processor.Release();
            await processor.WaitForAsync(46);
            Assert.Equal(Enumerable.Range(0, 46).Select(static i => (long)i), processor.Offsets);
            Assert.DoesNotContain(processor.Runs.Skip(41), static run => run.OnPollThread);
            await WaitForCommitAsync(worker, 46);
            await WaitUntilAsync(() => worker.Buffered == 0, "the lane to report the records");

            // A record that awaited sends the next ones back to the lanes for a while, even with the partition idle.
            StageRange(worker, 46, 47);
            worker.Flush();
            await processor.WaitForAsync(47);
            Assert.False(processor.Runs[46].OnPollThread);
        }
        finally
        {
            processor.Release();
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task A_slow_handler_on_the_poll_thread_sends_the_partition_back_to_its_lanes()
    {
        var processor = new RecordingProcessor { CanRunOnPollThread = true, SleepAt = 40 };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { }, fastEnough: long.MaxValue);
        try
        {
            await LearnOnLanesAsync(worker, processor, 40);

            // Offset 40 blocks the poll thread for 50 ms: the partition's next records go to its lane although it is idle.
            StageRange(worker, 40, 41);
            Assert.True(processor.Runs[40].OnPollThread);
            StageRange(worker, 41, 45);
            worker.Flush();
            await processor.WaitForAsync(45);
            Assert.DoesNotContain(processor.Runs.Skip(41), static run => run.OnPollThread);
            await WaitForCommitAsync(worker, 45);
        }
        finally
        {
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task Lanes_timing_slow_handlers_keep_the_records()
    {
        var processor = new RecordingProcessor { CanRunOnPollThread = true };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { }, fastEnough: -1);
        try
        {
            // Every sample is slower than the limit: the poll thread never takes a record.
            await LearnOnLanesAsync(worker, processor, 80);
            StageRange(worker, 80, 81);
            worker.Flush();
            await processor.WaitForAsync(81);
            Assert.DoesNotContain(processor.Runs, static run => run.OnPollThread);
        }
        finally
        {
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task Stopping_waits_for_a_record_the_poll_thread_started()
    {
        var processor = new RecordingProcessor { CanRunOnPollThread = true, Hold = 40 };
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { }, fastEnough: long.MaxValue);
        await LearnOnLanesAsync(worker, processor, 40);
        StageRange(worker, 40, 41);
        worker.Flush();
        Assert.True(processor.Runs[40].OnPollThread);

        // The lane awaits the held record even though the partition stops: its scope ends only once it finished.
        var stopped = worker.StopAccepting();
        Assert.False(stopped.IsCompleted);
        Assert.False(processor.HeldScopeEnded);
        processor.Release();
        await stopped.WaitAsync(Patience);
        Assert.True(processor.HeldScopeEnded);
        await WaitForCommitAsync(worker, 41);
        worker.Dispose();
    }

    /// <summary>Hands the first <paramref name="count"/> records to the lanes and waits until they are reported.</summary>
    private static async Task LearnOnLanesAsync(PartitionWorker worker, RecordingProcessor processor, int count)
    {
        StageRange(worker, 0, count);
        worker.Flush();
        await processor.WaitForAsync(count);
        await WaitUntilAsync(() => worker.Buffered == 0, "the lanes to report the first records");
    }

    /// <summary>True on the thread that stages, while it stages: a record run there ran on the poll thread.</summary>
    [ThreadStatic]
    private static bool staging;

    private static void StageRange(PartitionWorker worker, int from, int to)
    {
        staging = true;
        try
        {
            for (var offset = from; offset < to; offset++)
            {
                worker.Stage(Record(offset));
            }
        }
        finally
        {
            staging = false;
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

    /// <summary>
    /// Records the offsets handed to it, in order, with the scope and whether the poll thread ran them; optionally holds
    /// the first record or <see cref="Hold"/> until released, sleeps on <see cref="SleepAt"/>, or blocks the thread on
    /// <see cref="BlockAt"/> until <see cref="Unblock"/>.
    /// </summary>
    private sealed class RecordingProcessor : IRecordProcessor
    {
        private readonly ConcurrentQueue<long> offsets = new();
        private readonly ConcurrentQueue<Run> runs = new();
        private readonly SemaphoreSlim processed = new(0);
        private readonly TaskCompletionSource<bool> first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource laneAwaits = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim unblocked = new(false);
        private ScopedProbe? heldProbe;

        public bool HoldFirst { get; init; }

        public long Hold { get; init; } = -1;

        public long SleepAt { get; init; } = -1;

        /// <summary>The lane's thread blocks on this offset (synchronously) until <see cref="Unblock"/>.</summary>
        public long BlockAt { get; init; } = -1;

        public bool CanRunOnPollThread { get; init; }

        public IReadOnlyList<long> Offsets => [.. offsets];

        public IReadOnlyList<Run> Runs => [.. runs];

        public bool HeldScopeEnded => heldProbe is { Disposed: true };

        public int MaxMessagesPerScope => int.MaxValue;

        public LaneScope CreateLaneScope()
        {
            var services = new ServiceCollection();
            services.AddScoped<ScopedProbe>();
            return new(services.BuildServiceProvider(), HandlerScope.PerBatch, "g", NullLogger.Instance);
        }

        public ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
        {
            var offset = record.Offset.Value;
            var probe = lane.Services.GetRequiredService<ScopedProbe>();
            runs.Enqueue(new Run(offset, staging, lane, probe));
            offsets.Enqueue(offset);
            processed.Release();
            if (offset == SleepAt)
            {
                Thread.Sleep(50);
            }

            if (offset == BlockAt)
            {
                Assert.True(unblocked.Wait(Patience), "the test never unblocked the lane");
            }

            if (offset == Hold)
            {
                heldProbe = probe;
                return new ValueTask<bool>(first.Task);
            }

            return HoldFirst && offset == 0 ? new ValueTask<bool>(first.Task) : new ValueTask<bool>(true);
        }

        public void ReleaseFirst() => first.TrySetResult(true);

        public void Unblock() => unblocked.Set();

        public void Release() => first.TrySetResult(true);

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

    /// <summary>A record's run: its offset, whether it ran inside Stage (on the poll thread), the lane scope it got, and what that scope's DI scope resolved.</summary>
    private sealed record Run(long Offset, bool OnPollThread, LaneScope Scope, ScopedProbe Probe);

    /// <summary>A scoped service: disposed when its scope ends.</summary>
    private sealed class ScopedProbe : IDisposable
    {
        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }
}
