using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// The member's side of rebalances: starts workers for assigned partitions, drains and commits revoked ones before they
/// move, cancels lost ones; and the same drain at shutdown.
/// </summary>
/// <remarks>
/// <para>librdkafka runs the callbacks inside <c>Consume</c>, on the poll thread. Every protocol goes through them: under
/// <c>cooperative-sticky</c> and KIP-848's <c>consumer</c> protocol they receive only the partitions that move, and the
/// partitions kept go on running.</para>
/// <para>On revoke, the revoked partitions stop taking records, their running handlers get up to
/// <see cref="ConsumerGroupOptions.RevokeDrainTimeout"/> to finish (then are cancelled), and their watermarks are
/// committed before the callback returns, so the next owner starts right after the last completed record. Lost
/// partitions (the session expired) are cancelled and not committed: another member may own them already.</para>
/// </remarks>
internal sealed class RebalanceHandler(PartitionSet partitions, CommitCoordinator commits, ConsumerGroupOptions options, ConsumerGroupStatus status, string group, ILogger logger, CancellationToken hardStop, TransactionalCommits? transactions = null)
{
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);

    /// <summary>Set at shutdown: partitions handed over from now on stay idle (nothing is handled any more).</summary>
    public bool ShuttingDown { get; set; }

    public void OnAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned)
    {
        // A periodic commit still out belongs to the assignment before this one.
        commits.WaitForBackgroundCommit();
        foreach (var partition in assigned)
        {
            if (!partitions.Contains(partition) && !ShuttingDown)
            {
                partitions.Add(partition);
            }
        }

        status.MarkAssigned(partitions.Count);
        ConsumingLog.Assigned(logger, group, Describe(assigned));
        commits.CommitUnsavedAtShutdown(consumer);
    }

    public void OnRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> revokedPartitions)
    {
        var revoked = new List<PartitionWorker>(revokedPartitions.Count);
        foreach (var partition in revokedPartitions)
        {
            if (partitions.TryGet(partition.TopicPartition, out var worker))
            {
                revoked.Add(worker);
            }
        }

        ConsumingLog.Revoking(logger, group, revokedPartitions.Count);
        commits.WaitForBackgroundCommit();

        // Inside the callback the member's generation is current, so the revoked partitions' commit is accepted.
        _ = DrainAndCommit(consumer, revoked, options.RevokeDrainTimeout);
        commits.CommitUnsavedAtShutdown(consumer);
        status.MarkAssigned(partitions.Count);
    }

    public void OnLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> lostPartitions)
    {
        ConsumingLog.Lost(logger, group, lostPartitions.Count);
        commits.WaitForBackgroundCommit();

        // Another member may own these already: the transaction's output for them must not become visible.
        transactions?.Abort(consumer, partitions);
        List<TopicPartition>? resume = null;
        foreach (var partition in lostPartitions)
        {
            if (partitions.TryGet(partition.TopicPartition, out var worker))
            {
                worker.Cancel();
                if (partitions.Remove(worker))
                {
                    // As on revoke: the pause flag would outlive the assignment and hold the partition if it came back.
                    (resume ??= []).Add(worker.TopicPartition);
                }

                // Disposed once its lanes ended: they may still be unwinding from the cancellation.
                _ = worker.StopAccepting().ContinueWith(static (_, state) => ((PartitionWorker)state!).Dispose(), worker, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        ResumeQuietly(consumer, resume);
        status.MarkAssigned(partitions.Count);
    }

    /// <summary>Stops the partitions, waits for their running handlers (bounded) and commits; returns the offsets the coordinator refused because the group rebalances.</summary>
    public List<TopicPartitionOffset>? DrainAndCommit(IConsumer<byte[], byte[]> consumer, List<PartitionWorker> draining, TimeSpan timeout)
    {
        if (draining.Count == 0)
        {
            return null;
        }

        var tasks = new Task[draining.Count];
        for (var i = 0; i < draining.Count; i++)
        {
            tasks[i] = draining[i].StopAccepting();
        }

        var all = Task.WhenAll(tasks);
        var started = Stopwatch.GetTimestamp();
        if (!WaitOrHardStop(all, timeout))
        {
            ConsumingLog.DrainTimedOut(logger, group, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var worker in draining)
            {
                worker.Cancel();
            }

            all.Wait(CancelGrace);
        }

        var refused = commits.Commit(consumer, partitions, draining);
        var resume = new List<TopicPartition>();
        foreach (var worker in draining)
        {
            if (partitions.Remove(worker))
            {
                // librdkafka keeps a partition's pause flag across assignments: clear it before giving it away.
                resume.Add(worker.TopicPartition);
            }

            worker.Dispose();
        }

        ResumeQuietly(consumer, resume);
        return refused;
    }

    private void ResumeQuietly(IConsumer<byte[], byte[]> consumer, List<TopicPartition>? resume)
    {
        if (resume is null || resume.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Resume(resume);
        }
        catch (KafkaException exception)
        {
            ConsumingLog.ConsumeFailed(logger, exception, group, exception.Error.Code);
        }
    }

    private bool WaitOrHardStop(Task task, TimeSpan timeout)
    {
        try
        {
            return task.Wait(timeout, hardStop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    private static string Describe(List<TopicPartition> partitions)
    {
        var parts = new string[partitions.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = partitions[i].ToString();
        }

        return string.Join(", ", parts);
    }
}
