using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// The poll thread's loop: takes records in bursts, stages them on their partitions' lanes, hands each lane its share
/// in chunks, pauses full partitions and resumes them once they drained.
/// </summary>
/// <remarks>
/// <para>Back-pressure never holds the loop for long. A partition whose buffer is full gets at most
/// <see cref="DrainWaitMilliseconds"/> to drain to half (fast lanes do that in well under a millisecond); otherwise it is paused and
/// the other partitions keep flowing. Pausing is not free: librdkafka drops what it prefetched for the partition and
/// fetches it again after the resume, so fast partitions must not flap between the two.</para>
/// <para>While a partition is paused the loop polls with a short timeout, so it resumes soon after its lanes drained to
/// half.</para>
/// </remarks>
/// <param name="partitions">The owned partitions.</param>
/// <param name="commits">The group's commits; null for a reader that commits nothing (a cache replica).</param>
/// <param name="status">Poll liveness, for health checks; null when nobody watches.</param>
/// <param name="name">The group (or cache) named in logs.</param>
/// <param name="logger">The logger.</param>
/// <param name="stageEndOfPartition">Hand end-of-partition markers to the partition's lane, in order with its records (a replica's ready gate).</param>
/// <param name="pauses">The application's pauses of this group (<see cref="IConsumerGroupControl"/>), or null.</param>
/// <param name="transactions">A transactional group's transactions (aborted here after a handler failure), or null.</param>
/// <param name="onlyTopic">The one topic the consumer reads, or null when it reads several: the topic of a record the client
/// did not name (<see cref="RecordFields"/>).</param>
internal sealed class PollLoop(PartitionSet partitions, CommitCoordinator? commits, ConsumerGroupStatus? status, string name, ILogger logger, bool stageEndOfPartition = false, GroupPauses? pauses = null, TransactionalCommits? transactions = null, string? onlyTopic = null)
{
    private int appliedPauseVersion = -1;
    private int appliedGeneration = -1;
    private List<PartitionWorker>? skipped;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PausedPoll = TimeSpan.FromMilliseconds(5);
    private const int DrainWaitMilliseconds = 2;
    private const int MaxBurst = 2048;

    private readonly List<PartitionWorker> staged = new();

    /// <summary>Polls until <paramref name="stopRequested"/> returns true.</summary>
    public void Run(IConsumer<byte[], byte[]> consumer, Func<bool> stopRequested)
    {
        while (!stopRequested())
        {
            ConsumeResult<byte[], byte[]>? record;
            try
            {
                record = consumer.Consume(partitions.Paused.Count > 0 ? PausedPoll : IdlePoll);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                ConsumingLog.ConsumeFailed(logger, exception, name, exception.Error.Code);
                continue;
            }

            status?.MarkPolled();
            if (transactions is { AbortRequested: true })
            {
                transactions.AbortAfterFailure(consumer, partitions, CancellationToken.None);
            }

            if (pauses is not null && (pauses.Version != appliedPauseVersion || partitions.Generation != appliedGeneration))
            {
                ApplyUserPauses(consumer, pauses);
            }

            if (record is not null)
            {
                ConsumeBurst(consumer, record, stopRequested);
            }

            if (partitions.Paused.Count > 0)
            {
                ResumeDrained(consumer);
            }

            commits?.CommitIfDue(consumer, partitions);
        }
    }

    /// <summary>
    /// Takes the records librdkafka already holds (up to <see cref="MaxBurst"/>, without waiting) and hands them to the
    /// lanes in chunks (<see cref="PartitionWorker.Stage"/>) and at the burst's end: a lane waiting for work is woken once
    /// per chunk instead of once per record, which is most of the hand-over cost when handlers are faster than the poll
    /// loop, and starts on a long run of its partition while the poll thread still takes the rest.
    /// </summary>
    private void ConsumeBurst(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> first, Func<bool> stopRequested)
    {
        var filled = Stage(first);
        for (var i = 1; i < MaxBurst && !filled && !stopRequested(); i++)
        {
            ConsumeResult<byte[], byte[]>? next;
            try
            {
                next = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                ConsumingLog.ConsumeFailed(logger, exception, name, exception.Error.Code);
                break;
            }

            if (next is null)
            {
                break;
            }

            // A burst ends where a partition's buffer fills up: librdkafka hands out long runs of one partition.
            filled = Stage(next);
        }

        List<TopicPartition>? pause = null;
        foreach (var worker in staged)
        {
            // A rebalance callback inside Consume may have revoked the partition meanwhile: its staged records were
            // never handed over, so they stay uncommitted for the next owner.
            if (worker.Removed)
            {
                continue;
            }

            worker.Flush();
            if (worker.IsFull && !worker.Paused && !worker.WaitToDrain(DrainWaitMilliseconds))
            {
                worker.Paused = true;
                partitions.Paused.Add(worker);
                (pause ??= []).Add(worker.TopicPartition);
                ConsumingLog.Paused(logger, worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, name, worker.Buffered);
            }
        }

        staged.Clear();
        if (pause is not null)
        {
            consumer.Pause(pause);
        }

        if (skipped is { Count: > 0 })
        {
            // Records of a partition the application paused, returned before the pause took hold: they were not handed
            // over, so librdkafka must fetch them again when the partition resumes (its position has moved past them).
            foreach (var worker in skipped)
            {
                consumer.Seek(new TopicPartitionOffset(worker.TopicPartition, worker.FirstSkippedOffset));
            }

            skipped.Clear();
        }
    }

    /// <summary>Pauses and resumes partitions so that they match the application's pauses (after a change, or an assignment).</summary>
    private void ApplyUserPauses(IConsumer<byte[], byte[]> consumer, GroupPauses wanted)
    {
        appliedPauseVersion = wanted.Version;
        appliedGeneration = partitions.Generation;
        List<TopicPartition>? pause = null;
        List<PartitionWorker>? resume = null;
        foreach (var worker in partitions.All)
        {
            var tp = worker.TopicPartition;
            var paused = wanted.IsPaused(tp.Topic, tp.Partition.Value);
            if (paused && !worker.UserPaused)
            {
                worker.UserPaused = true;
                (pause ??= []).Add(tp);
            }
            else if (!paused && worker.UserPaused)
            {
                worker.UserPaused = false;
                if (!worker.Paused)
                {
                    (resume ??= []).Add(worker);
                }
            }
        }

        if (pause is not null)
        {
            consumer.Pause(pause);
        }

        if (resume is not null)
        {
            Resume(consumer, resume);
        }

        status?.MarkPausedByApplication([.. partitions.All.Where(static w => w.UserPaused).Select(static w => w.TopicPartition)]);
    }

    private static void Resume(IConsumer<byte[], byte[]> consumer, List<PartitionWorker> workers)
    {
        consumer.Resume(workers.Select(static w => w.TopicPartition).ToList());
        foreach (var worker in workers)
        {
            // librdkafka only reconsiders a resumed partition at its broker thread's next wake-up, up to a second later
            // when that broker has nothing else to fetch (measured: 0.99 s). A seek to the position it resumes from
            // anyway wakes it now (and brings back records skipped during a user pause).
            if (worker.ResumeOffset >= 0)
            {
                consumer.Seek(new TopicPartitionOffset(worker.TopicPartition, worker.ResumeOffset));
            }

            worker.FirstSkippedOffset = -1;
        }
    }

    /// <summary>Stages a record on its partition; true when that partition's buffer is full with it.</summary>
    private bool Stage(ConsumeResult<byte[], byte[]> record)
    {
        if (record.IsPartitionEOF && !stageEndOfPartition)
        {
            return false;
        }

        // Unnamed when the client skips topic names (one topic read): everything after this reads the record's topic.
        var topic = record.Topic ??= onlyTopic!;
        var worker = partitions.Find(topic, record.Partition.Value)
            // Not announced by an assignment callback (should not happen); track it so its offsets are managed.
            ?? partitions.Add(record.TopicPartition);

        if (worker.UserPaused)
        {
            if (worker.FirstSkippedOffset < 0)
            {
                worker.FirstSkippedOffset = record.Offset.Value;
                (skipped ??= []).Add(worker);
            }

            return false;
        }

        if (!worker.HasStaged)
        {
            staged.Add(worker);
        }

        worker.Stage(record);
        return worker.IsFullWithStaged;
    }

    private void ResumeDrained(IConsumer<byte[], byte[]> consumer)
    {
        List<PartitionWorker>? resume = null;
        var paused = partitions.Paused;
        for (var i = paused.Count - 1; i >= 0; i--)
        {
            var worker = paused[i];
            if (worker.CanResume)
            {
                worker.Paused = false;
                paused.RemoveAt(i);

                // A partition the application paused meanwhile stays paused; its own resume brings it back.
                if (!worker.UserPaused)
                {
                    (resume ??= []).Add(worker);
                    ConsumingLog.Resumed(logger, worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, name);
                }
            }
        }

        if (resume is not null)
        {
            Resume(consumer, resume);
        }
    }
}
