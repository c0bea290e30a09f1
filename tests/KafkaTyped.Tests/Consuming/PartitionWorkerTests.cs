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
    public async Task A_long_run_of_one_partition_reaches_its_lane_in_chunks_before_the_burst_ends()
    {
        var processor = new RecordingProcessor();
        var worker = new PartitionWorker(new TopicPartition("t", 0), processor, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { });
        try
        {
            // A burst of 300 records of one partition, not flushed yet: the lane gets them in chunks of ReportEvery (125).
            Assert.Equal(125, worker.ReportEvery);
            for (var offset = 0; offset < 300; offset++)
            {
                worker.Stage(Record(offset));
            }

            await processor.WaitForAsync(250);
            Assert.Equal(Enumerable.Range(0, 250).Select(static i => (long)i), processor.Offsets);
            Assert.True(worker.HasStaged); // the last 50 wait for the burst's end

            worker.Flush();
            await processor.WaitForAsync(300);
            Assert.Equal(Enumerable.Range(0, 300).Select(static i => (long)i), processor.Offsets);
            Assert.False(worker.HasStaged);

            // Every offset handed over in a chunk was pending before its lane completed it: the commit covers them all.
            var deadline = DateTime.UtcNow + Patience;
            long position;
            while (!worker.Offsets.TryGetCommit(out position) || position < 300)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the commit position stayed at {position}");
                await Task.Delay(10);
            }

            Assert.Equal(300, position);
        }
        finally
        {
            await worker.StopAccepting();
            worker.Dispose();
        }
    }

    private static ConsumeResult<byte[], byte[]> Record(long offset) =>
        new() { Topic = "t", Partition = 0, Offset = offset, Message = new Message<byte[], byte[]> { Value = [] } };

    /// <summary>Records the offsets its lane hands it, in order.</summary>
    private sealed class RecordingProcessor : IRecordProcessor
    {
        private readonly ConcurrentQueue<long> offsets = new();
        private readonly SemaphoreSlim processed = new(0);

        public IReadOnlyList<long> Offsets => [.. offsets];

        public int MaxMessagesPerScope => int.MaxValue;

        public LaneScope CreateLaneScope() => new(new ServiceCollection().BuildServiceProvider(), HandlerScope.Root, "g", NullLogger.Instance);

        public ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
        {
            offsets.Enqueue(record.Offset.Value);
            processed.Release();
            return new ValueTask<bool>(true);
        }

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
