using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// One consumer of a group: the poll loop on a dedicated thread, one <see cref="PartitionWorker"/> per assigned
/// partition, back-pressure by pausing full partitions, and commits of the contiguous completed watermarks.
/// </summary>
/// <remarks>
/// <para>Every consumer call happens on the poll thread, rebalance callbacks included (librdkafka runs them inside
/// <c>Consume</c>). Commits are synchronous there, batched by <see cref="ConsumerGroupOptions.CommitInterval"/> and
/// <see cref="ConsumerGroupOptions.CommitBatchSize"/>.</para>
/// <para>On revoke, the revoked partitions stop taking records, their running handlers get up to
/// <see cref="ConsumerGroupOptions.RevokeDrainTimeout"/> to finish (then are cancelled), and their watermarks are
/// committed before the callback returns, so the next owner starts right after the last completed record. Lost
/// partitions (the session expired) are cancelled and not committed: another member may own them already.</para>
/// <para>Every rebalance protocol works through the same callbacks: under <c>cooperative-sticky</c> and KIP-848's
/// <c>consumer</c> protocol Confluent.Kafka passes only the partitions that move and applies them incrementally, and the
/// partitions kept go on running. A final commit refused because the group is rebalancing is retried until the
/// rebalance ends (in its callbacks first) before the member leaves.</para>
/// </remarks>
internal sealed class ConsumerGroupRunner : ILagSource
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(2);
    private const int MaxBurst = 256;

    private readonly ConsumerGroupDispatcher dispatcher;
    private readonly ConsumerGroupOptions options;
    private readonly ConsumerConfig config;
    private readonly MessageProcessor processor;
    private readonly ConsumerGroupStatus status;
    private readonly ILogger logger;
    private readonly Dictionary<TopicPartition, PartitionWorker> workers = new();
    private readonly List<PartitionWorker> paused = new();
    private readonly List<PartitionWorker> staged = new();
    private readonly CancellationTokenSource hardStop = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object consumerGate = new();
    private readonly Action onCompleted;
    private IConsumer<byte[], byte[]>? consumer;
    private PartitionWorker[] snapshot = [];
    private (string Topic, PartitionWorker?[] ByPartition)[] index = [];
    private Thread? thread;
    private volatile bool stopRequested;
    private int completedSinceCommit;
    private long nextCommitTicks;

    private bool shuttingDown;
    private List<TopicPartitionOffset>? unsavedAtShutdown;

    public ConsumerGroupRunner(ConsumerGroupDispatcher dispatcher, ConsumerGroupOptions options, ConsumerConfig config, MessageProcessor processor, ConsumerGroupStatus status, ILogger logger)
    {
        this.dispatcher = dispatcher;
        this.options = options;
        this.config = config;
        this.processor = processor;
        this.status = status;
        this.logger = logger;
        onCompleted = OnMessageCompleted;
    }

    /// <summary>Starts the poll thread.</summary>
    public void Start()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "kafkatyped-" + dispatcher.GroupId };
        thread.Start();
    }

    /// <summary>
    /// Stops polling, lets running handlers finish for up to <see cref="ConsumerGroupOptions.ShutdownDrainTimeout"/>,
    /// commits and leaves the group. <paramref name="cancellationToken"/> (the host's shutdown timeout) cancels
    /// handlers at once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        stopRequested = true;
        using var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), hardStop);
        await exited.Task.ConfigureAwait(false);
    }

    public void CollectLag(List<Measurement<long>> measurements)
    {
        lock (consumerGate)
        {
            if (consumer is null)
            {
                return;
            }

            foreach (var worker in snapshot)
            {
                var watermarks = consumer.GetWatermarkOffsets(worker.TopicPartition);
                if (watermarks.High.Value < 0 || worker.LastReceivedOffset < 0)
                {
                    continue;
                }

                var lag = Math.Max(0, watermarks.High.Value - (worker.LastReceivedOffset + 1));
                var tags = KafkaTypedMetrics.Tags(worker.TopicPartition.Topic, dispatcher.GroupId);
                tags.Add(SemanticConventions.PartitionId, worker.TopicPartition.Partition.Value);
                measurements.Add(new Measurement<long>(lag, tags));
            }
        }
    }

    private void Run()
    {
        try
        {
            var built = new ConsumerBuilder<byte[], byte[]>(config)
                .SetPartitionsAssignedHandler(OnAssigned)
                .SetPartitionsRevokedHandler(OnRevoked)
                .SetPartitionsLostHandler(OnLost)
                .SetErrorHandler((_, error) => ConsumingLog.ConsumerError(logger, dispatcher.GroupId, error.Code, error.Reason))
                .SetLogHandler((_, message) => ConsumingLog.Librdkafka(logger, message.Name, message.Message))
                .Build();
            lock (consumerGate)
            {
                consumer = built;
            }

            KafkaTypedMetrics.AddLagSource(this);
            var topics = new List<string>();
            foreach (var set in dispatcher.Topics)
            {
                topics.Add(set.Topic);
            }

            built.Subscribe(topics);
            status.MarkRunning();
            ConsumingLog.Subscribed(logger, dispatcher.GroupId, string.Join(", ", topics));
            nextCommitTicks = Environment.TickCount64 + (long)options.CommitInterval.TotalMilliseconds;
            Poll(built);
            Shutdown(built);
        }
        catch (Exception exception)
        {
            status.MarkFaulted(exception);
            ConsumingLog.LoopFailed(logger, exception, dispatcher.GroupId);
            hardStop.Cancel();
        }
        finally
        {
            KafkaTypedMetrics.RemoveLagSource(this);
            lock (consumerGate)
            {
                consumer?.Dispose();
                consumer = null;
            }

            foreach (var worker in workers.Values)
            {
                worker.Cancel();
                worker.Dispose();
            }

            workers.Clear();
            status.MarkStopped();
            exited.TrySetResult();
        }
    }

    private void Poll(IConsumer<byte[], byte[]> consumer)
    {
        while (!stopRequested)
        {
            ConsumeResult<byte[], byte[]>? record;
            try
            {
                record = consumer.Consume(PollTimeout);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                ConsumingLog.ConsumeFailed(logger, exception, dispatcher.GroupId, exception.Error.Code);
                continue;
            }

            status.MarkPolled();
            if (record is not null)
            {
                ConsumeBurst(consumer, record);
            }

            if (paused.Count > 0)
            {
                ResumeDrained(consumer);
            }

            // Periodic commits go on during rebalances: since librdkafka 2.10 a commit refused with IllegalGeneration no
            // longer costs the member its assignment (librdkafka #4059, fixed by #4908), and a refused commit is simply
            // retried at the next interval.
            if (Volatile.Read(ref completedSinceCommit) >= options.CommitBatchSize || Environment.TickCount64 >= nextCommitTicks)
            {
                _ = Commit(consumer, workers.Values);
            }
        }
    }

    /// <summary>
    /// Takes the records librdkafka already holds (up to <see cref="MaxBurst"/>, without waiting), then hands them to the
    /// lanes together: a lane that waits for work is woken once per burst instead of once per record, which is most of
    /// the hand-over cost when handlers are faster than the poll loop.
    /// </summary>
    private void ConsumeBurst(IConsumer<byte[], byte[]> consumer, ConsumeResult<byte[], byte[]> first)
    {
        Stage(first);
        for (var i = 1; i < MaxBurst && !stopRequested; i++)
        {
            ConsumeResult<byte[], byte[]>? next;
            try
            {
                next = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                ConsumingLog.ConsumeFailed(logger, exception, dispatcher.GroupId, exception.Error.Code);
                break;
            }

            if (next is null)
            {
                break;
            }

            Stage(next);
        }

        foreach (var worker in staged)
        {
            // A rebalance callback inside Consume may have revoked the partition meanwhile: its staged records were
            // never handed over, so they stay uncommitted for the next owner.
            if (worker.Removed)
            {
                continue;
            }

            worker.Flush();
            if (worker.IsFull && !worker.Paused && !WaitForRoom(worker))
            {
                consumer.Pause([worker.TopicPartition]);
                worker.Paused = true;
                paused.Add(worker);
                ConsumingLog.Paused(logger, worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, dispatcher.GroupId, worker.Buffered);
            }
        }

        staged.Clear();
    }

    private void Stage(ConsumeResult<byte[], byte[]> record)
    {
        if (record.IsPartitionEOF)
        {
            return;
        }

        var worker = Find(record.Topic, record.Partition.Value);
        if (worker is null)
        {
            // Not announced by an assignment callback (should not happen); track it so its offsets are managed.
            worker = AddWorker(record.TopicPartition);
            WorkersChanged();
        }

        if (!worker.HasStaged)
        {
            staged.Add(worker);
        }

        worker.Stage(record);
    }

    /// <summary>Blocks the poll loop up to <see cref="ConsumerGroupOptions.PauseAfter"/> for a full partition to drain below its limit.</summary>
    private bool WaitForRoom(PartitionWorker worker)
    {
        var deadline = Environment.TickCount64 + (long)options.PauseAfter.TotalMilliseconds;
        while (worker.IsFull)
        {
            if (stopRequested || Environment.TickCount64 >= deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    private void ResumeDrained(IConsumer<byte[], byte[]> consumer)
    {
        for (var i = paused.Count - 1; i >= 0; i--)
        {
            var worker = paused[i];
            if (worker.CanResume)
            {
                consumer.Resume([worker.TopicPartition]);
                worker.Paused = false;
                paused.RemoveAt(i);
                ConsumingLog.Resumed(logger, worker.TopicPartition.Topic, worker.TopicPartition.Partition.Value, dispatcher.GroupId);
            }
        }
    }

    /// <summary>Commits the candidates' watermarks; returns them when the coordinator refused them because the group rebalances.</summary>
    private List<TopicPartitionOffset>? Commit(IConsumer<byte[], byte[]> consumer, IEnumerable<PartitionWorker> candidates)
    {
        nextCommitTicks = Environment.TickCount64 + (long)options.CommitInterval.TotalMilliseconds;
        Interlocked.Exchange(ref completedSinceCommit, 0);
        List<TopicPartitionOffset>? offsets = null;
        foreach (var worker in candidates)
        {
            if (worker.Offsets.TryGetCommit(out var position))
            {
                (offsets ??= []).Add(new TopicPartitionOffset(worker.TopicPartition, position));
            }
        }

        if (offsets is null)
        {
            return null;
        }

        try
        {
            consumer.Commit(offsets);
            foreach (var offset in offsets)
            {
                if (workers.TryGetValue(offset.TopicPartition, out var worker))
                {
                    worker.Offsets.MarkCommitted(offset.Offset.Value);
                }
            }
        }
        catch (KafkaException exception)
        {
            // Not fatal: the watermark stays uncommitted and is retried at the next commit; at worst the next owner
            // reads these records again (at-least-once).
            if (IsRebalanceError(exception.Error.Code))
            {
                ConsumingLog.CommitDeferred(logger, dispatcher.GroupId, exception.Error.Code);
                return offsets;
            }

            ConsumingLog.CommitFailed(logger, exception, dispatcher.GroupId, exception.Error.Code);
        }

        return null;
    }

    private static bool IsRebalanceError(ErrorCode code) =>
        code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId;

    private void OnAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            // While shutting down (waiting to commit) nothing is handled any more: partitions handed over now stay idle.
            if (!workers.ContainsKey(partition) && !shuttingDown)
            {
                AddWorker(partition);
            }
        }

        WorkersChanged();
        status.MarkAssigned(workers.Count);
        ConsumingLog.Assigned(logger, dispatcher.GroupId, Describe(partitions));
        CommitUnsavedAtShutdown(consumer);
    }

    private void OnRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        var revoked = new List<PartitionWorker>(partitions.Count);
        foreach (var partition in partitions)
        {
            if (workers.TryGetValue(partition.TopicPartition, out var worker))
            {
                revoked.Add(worker);
            }
        }

        ConsumingLog.Revoking(logger, dispatcher.GroupId, partitions.Count);

        // Inside the callback the member's generation is current, so the revoked partitions' commit is accepted. Under
        // incremental protocols the set is only what moves (the partitions kept go on running).
        _ = DrainAndCommit(consumer, revoked, options.RevokeDrainTimeout);
        CommitUnsavedAtShutdown(consumer);
        status.MarkAssigned(workers.Count);
    }

    private void OnLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
    {
        ConsumingLog.Lost(logger, dispatcher.GroupId, partitions.Count);
        List<TopicPartition>? resume = null;
        foreach (var partition in partitions)
        {
            if (workers.Remove(partition.TopicPartition, out var worker))
            {
                worker.Removed = true;
                worker.Cancel();
                if (paused.Remove(worker))
                {
                    // As on revoke: the pause flag would outlive the assignment and hold the partition if it came back.
                    (resume ??= []).Add(worker.TopicPartition);
                }

                // Disposed once its lanes ended: they may still be unwinding from the cancellation.
                _ = worker.StopAccepting().ContinueWith(static (_, state) => ((PartitionWorker)state!).Dispose(), worker, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        ResumeQuietly(consumer, resume);
        WorkersChanged();
        status.MarkAssigned(workers.Count);
    }

    private void Shutdown(IConsumer<byte[], byte[]> consumer)
    {
        ConsumingLog.Stopping(logger, dispatcher.GroupId, workers.Count);
        shuttingDown = true;
        var started = Environment.TickCount64;
        var refused = DrainAndCommit(consumer, [.. workers.Values], options.ShutdownDrainTimeout);
        if (refused is not null)
        {
            CommitAfterRebalance(consumer, refused, started + (long)options.ShutdownDrainTimeout.TotalMilliseconds);
        }

        consumer.Close();
    }

    /// <summary>
    /// The final commit was refused because the group is rebalancing (the embedded cluster refuses commits while any
    /// member rejoins, where a real broker accepts a commit of the current generation; and the coordinator may have moved
    /// to a new generation). Leaving now would hand the partitions over at their previous commit and have everything
    /// since handled again, so the member stays, polling without handling anything, and commits as soon as the
    /// coordinator accepts it: first in the next rebalance callback, where its generation is current, else between
    /// polls; bounded by the shutdown drain time and the host's token.
    /// </summary>
    private void CommitAfterRebalance(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> offsets, long deadline)
    {
        ConsumingLog.ShutdownCommitWaits(logger, dispatcher.GroupId, Math.Max(0, deadline - Environment.TickCount64));
        unsavedAtShutdown = offsets;
        while (unsavedAtShutdown is not null && Environment.TickCount64 < deadline && !hardStop.IsCancellationRequested)
        {
            try
            {
                // Rebalance callbacks run in here and commit first (see CommitUnsavedAtShutdown). Records returned are
                // dropped: they are not committed, so the next owner reads them.
                consumer.Consume(PollTimeout);
            }
            catch (ConsumeException exception) when (!exception.Error.IsFatal)
            {
                ConsumingLog.ConsumeFailed(logger, exception, dispatcher.GroupId, exception.Error.Code);
            }

            CommitUnsavedAtShutdown(consumer);
        }

        unsavedAtShutdown = null;
    }

    /// <summary>
    /// Commits the offsets the final commit could not save. Called from the rebalance callbacks too: there the member's
    /// generation is current, and under cooperative-sticky the revoke that hands these partitions to another member must
    /// carry their offsets, or the next owner starts before the commit lands.
    /// </summary>
    private void CommitUnsavedAtShutdown(IConsumer<byte[], byte[]> consumer)
    {
        if (unsavedAtShutdown is not { } offsets)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
            unsavedAtShutdown = null;
        }
        catch (KafkaException exception)
        {
            if (IsRebalanceError(exception.Error.Code))
            {
                ConsumingLog.CommitDeferred(logger, dispatcher.GroupId, exception.Error.Code);
            }
            else
            {
                ConsumingLog.CommitFailed(logger, exception, dispatcher.GroupId, exception.Error.Code);
                unsavedAtShutdown = null;
            }
        }
    }

    /// <summary>Stops the partitions, waits for their running handlers (bounded) and commits; returns the offsets the coordinator refused because the group rebalances.</summary>
    private List<TopicPartitionOffset>? DrainAndCommit(IConsumer<byte[], byte[]> consumer, List<PartitionWorker> draining, TimeSpan timeout)
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
            ConsumingLog.DrainTimedOut(logger, dispatcher.GroupId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var worker in draining)
            {
                worker.Cancel();
            }

            all.Wait(CancelGrace);
        }

        var refused = Commit(consumer, draining);
        var resume = new List<TopicPartition>();
        foreach (var worker in draining)
        {
            workers.Remove(worker.TopicPartition);
            worker.Removed = true;
            if (worker.Paused)
            {
                // librdkafka keeps a partition's pause flag across assignments: clear it before giving it away.
                resume.Add(worker.TopicPartition);
                paused.Remove(worker);
            }

            worker.Dispose();
        }

        ResumeQuietly(consumer, resume);
        WorkersChanged();
        return refused;
    }

    private void ResumeQuietly(IConsumer<byte[], byte[]> consumer, List<TopicPartition>? partitions)
    {
        if (partitions is null || partitions.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Resume(partitions);
        }
        catch (KafkaException exception)
        {
            ConsumingLog.ConsumeFailed(logger, exception, dispatcher.GroupId, exception.Error.Code);
        }
    }

    private bool WaitOrHardStop(Task task, TimeSpan timeout)
    {
        try
        {
            return task.Wait(timeout, hardStop.Token);
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

    /// <summary>
    /// The worker of a record's partition, without building a <see cref="TopicPartition"/> (the client allocates a new one
    /// on every <c>ConsumeResult.TopicPartition</c> read): a short scan over topics, then an array index.
    /// </summary>
    private PartitionWorker? Find(string topic, int partition)
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

    /// <summary>Rebuilds the lookup index and the snapshot read by the lag gauge after the assignment changed.</summary>
    private void WorkersChanged()
    {
        snapshot = [.. workers.Values];
        var byTopic = new Dictionary<string, PartitionWorker?[]>(StringComparer.Ordinal);
        foreach (var worker in snapshot)
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

    private PartitionWorker AddWorker(TopicPartition partition)
    {
        var worker = new PartitionWorker(partition, processor, options.MaxConcurrencyPerPartition, options.MaxBufferedPerPartition, hardStop.Token, onCompleted);
        workers.Add(partition, worker);
        return worker;
    }

    private void OnMessageCompleted() => Interlocked.Increment(ref completedSinceCommit);

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
