using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// Commits each owned partition's contiguous completed watermark (<see cref="OffsetTracker"/>): periodically, on revoke,
/// and at shutdown, where a commit refused because the group rebalances is retried until the rebalance lets it through.
/// </summary>
/// <remarks>
/// <para>Every call happens on the poll thread, except <see cref="OnCompleted"/> (lanes). Periodic commits of a group that
/// is not transactional run on a commit thread of their own (<see cref="BackgroundCommit"/>), so the poll thread does
/// not wait for the coordinator; every other commit waits for that one to finish first, and the rebalance callbacks wait
/// for it too (<see cref="WaitForBackgroundCommit"/>), so a commit never crosses a change of assignment.</para>
/// <para>Periodic commits go on during rebalances: since librdkafka 2.10 a commit refused with IllegalGeneration no longer
/// costs the member its assignment (librdkafka #4059, fixed by #4908); a deferred commit is simply retried at the next
/// interval.</para>
/// </remarks>
/// <param name="options">The group's options.</param>
/// <param name="group">The group id.</param>
/// <param name="logger">The logger.</param>
/// <param name="transactions">For a transactional group: offsets are committed inside its transactions instead.</param>
/// <param name="hardStop">Cancels waits at the host's shutdown deadline.</param>
internal sealed class CommitCoordinator(ConsumerGroupOptions options, string group, ILogger logger, TransactionalCommits? transactions = null, CancellationToken hardStop = default) : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private readonly BackgroundCommit background = new($"kafkatyped-{group}-commits", exception => ConsumingLog.CommitFailed(logger, exception, group, ErrorCode.Unknown));

    private int completedSinceCommit;
    private long nextCommitTicks = Environment.TickCount64 + (long)options.CommitInterval.TotalMilliseconds;
    private List<TopicPartitionOffset>? unsavedAtShutdown;

    /// <summary>Lanes report completed records here (the count drives early commits).</summary>
    public void OnCompleted(int count) => Interlocked.Add(ref completedSinceCommit, count);

    /// <summary>
    /// Commits every owned partition when <see cref="ConsumerGroupOptions.CommitInterval"/> passed or
    /// <see cref="ConsumerGroupOptions.CommitBatchSize"/> records completed: on the commit thread, or in place for a
    /// transactional group. While the previous periodic commit is still out, the next waits for a later call.
    /// </summary>
    public void CommitIfDue(IConsumer<byte[], byte[]> consumer, PartitionSet partitions)
    {
        var completed = Volatile.Read(ref completedSinceCommit);
        if (completed < options.CommitBatchSize && (Environment.TickCount64 < nextCommitTicks || (completed == 0 && transactions is not null)))
        {
            return;
        }

        if (transactions is not null)
        {
            _ = Commit(consumer, partitions, partitions.All);
            return;
        }

        if (background.Busy)
        {
            // The previous commit is still out; this one goes as soon as it is back (the counters are left as they are).
            return;
        }

        ResetSchedule();
        if (Due(partitions.All) is { } due)
        {
            // The workers are captured with their offsets: the assignment cannot change before the commit is back.
            _ = background.TryStart(() => CommitDue(consumer, due));
        }
    }

    /// <summary>Returns once the periodic commit on the commit thread (if one is out) is back: called before the assignment changes.</summary>
    public void WaitForBackgroundCommit() => background.WaitIdle();

    /// <summary>Lets a periodic commit that is out finish and ends the commit thread (before the consumer is closed).</summary>
    public void Dispose() => background.Dispose();

    /// <summary>The candidates whose watermark moved past their last commit, with the offset to commit; null when none did.</summary>
    private static List<(PartitionWorker Worker, TopicPartitionOffset Offset)>? Due(IEnumerable<PartitionWorker> candidates)
    {
        List<(PartitionWorker Worker, TopicPartitionOffset Offset)>? due = null;
        foreach (var worker in candidates)
        {
            if (worker.Offsets.TryGetCommit(out var position))
            {
                (due ??= []).Add((worker, new TopicPartitionOffset(worker.TopicPartition, position)));
            }
        }

        return due;
    }

    /// <summary>Commits <paramref name="due"/> and marks it committed; returns the offsets when the coordinator refused them because the group rebalances.</summary>
    private List<TopicPartitionOffset>? CommitDue(IConsumer<byte[], byte[]> consumer, List<(PartitionWorker Worker, TopicPartitionOffset Offset)> due)
    {
        var offsets = due.ConvertAll(static entry => entry.Offset);
        try
        {
            consumer.Commit(offsets);
            foreach (var (worker, offset) in due)
            {
                worker.Offsets.MarkCommitted(offset.Offset.Value);
            }

            return null;
        }
        catch (KafkaException exception)
        {
            // Not fatal: the watermark stays uncommitted and is retried at the next commit; at worst the next owner
            // reads these records again (at-least-once).
            LogRefused(exception);
            return IsRebalanceError(exception.Error.Code) ? offsets : null;
        }
    }

    private void ResetSchedule()
    {
        nextCommitTicks = Environment.TickCount64 + (long)options.CommitInterval.TotalMilliseconds;
        Interlocked.Exchange(ref completedSinceCommit, 0);
    }

    private void LogRefused(KafkaException exception)
    {
        if (IsRebalanceError(exception.Error.Code))
        {
            ConsumingLog.CommitDeferred(logger, group, exception.Error.Code);
        }
        else
        {
            ConsumingLog.CommitFailed(logger, exception, group, exception.Error.Code);
        }
    }

    /// <summary>Commits the candidates' watermarks; returns them when the coordinator refused them because the group rebalances.</summary>
    public List<TopicPartitionOffset>? Commit(IConsumer<byte[], byte[]> consumer, PartitionSet partitions, IEnumerable<PartitionWorker> candidates)
    {
        background.WaitIdle();
        ResetSchedule();
        if (transactions is not null)
        {
            // One transaction covers every partition's output: all of them are committed (or rewound) together.
            _ = transactions.Commit(consumer, partitions, hardStop);
            return null;
        }

        return Due(candidates) is { } due ? CommitDue(consumer, due) : null;
    }

    /// <summary>
    /// The final commit was refused because the group is rebalancing (the embedded cluster refuses commits while any
    /// member rejoins, where a real broker accepts a commit of the current generation; and the coordinator may have moved
    /// to a new generation). Leaving now would hand the partitions over at their previous commit and have everything
    /// since handled again, so the member stays, polling without handling anything, and commits as soon as the
    /// coordinator accepts it: first in the next rebalance callback (<see cref="CommitUnsavedAtShutdown"/>), where its
    /// generation is current, else between polls; bounded by <paramref name="deadline"/> and <paramref name="hardStop"/>.
    /// </summary>
    public void CommitAfterRebalance(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> offsets, long deadline, CancellationToken hardStop)
    {
        ConsumingLog.ShutdownCommitWaits(logger, group, Math.Max(0, deadline - Environment.TickCount64));
        unsavedAtShutdown = offsets;
        while (unsavedAtShutdown is not null && Environment.TickCount64 < deadline && !hardStop.IsCancellationRequested)
        {
            try
            {
                // Rebalance callbacks run in here and commit first. Records returned are dropped: they are not
                // committed, so the next owner reads them.
                consumer.Consume(PollTimeout);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                ConsumingLog.ConsumeFailed(logger, exception, group, exception.Error.Code);
            }

            CommitUnsavedAtShutdown(consumer);
        }

        unsavedAtShutdown = null;
    }

    /// <summary>
    /// Commits the offsets the final commit could not save. Called from the rebalance callbacks too: there the member's
    /// generation is current, and under incremental protocols the revoke that hands these partitions to another member
    /// must carry their offsets, or the next owner starts before the commit lands.
    /// </summary>
    public void CommitUnsavedAtShutdown(IConsumer<byte[], byte[]> consumer)
    {
        if (unsavedAtShutdown is not { } offsets)
        {
            return;
        }

        background.WaitIdle();
        try
        {
            consumer.Commit(offsets);
            unsavedAtShutdown = null;
        }
        catch (KafkaException exception)
        {
            LogRefused(exception);
            if (!IsRebalanceError(exception.Error.Code))
            {
                unsavedAtShutdown = null;
            }
        }
    }

    private static bool IsRebalanceError(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;
}
