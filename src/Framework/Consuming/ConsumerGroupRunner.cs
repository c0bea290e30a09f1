using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using Microsoft.Extensions.Logging;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Consuming;

/// <summary>
/// One consumer of a group on a dedicated thread: builds the client, subscribes, runs the <see cref="PollLoop"/>, and at
/// shutdown drains and commits through the <see cref="RebalanceHandler"/> and the <see cref="CommitCoordinator"/>.
/// </summary>
/// <remarks>
/// Every consumer call happens on the poll thread, rebalance callbacks included (librdkafka runs them inside
/// <c>Consume</c>). The parts: <see cref="PartitionSet"/> (owned partitions), <see cref="PartitionWorker"/> and
/// <see cref="Lane"/> (handling), <see cref="CommitCoordinator"/> (commits), <see cref="RebalanceHandler"/>
/// (assignments), <see cref="PollLoop"/> (polling and back-pressure).
/// </remarks>
internal sealed class ConsumerGroupRunner : ILagSource
{
    private readonly ConsumerGroupDispatcher dispatcher;
    private readonly ConsumerGroupOptions options;
    private readonly ConsumerConfig config;
    private readonly ConsumerGroupStatus status;
    private readonly ILogger logger;
    private readonly CancellationTokenSource hardStop = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object consumerGate = new();
    private readonly PartitionSet partitions;
    private readonly CommitCoordinator commits;
    private readonly RebalanceHandler rebalances;
    private readonly PollLoop poll;
    private IConsumer<byte[], byte[]>? consumer;
    private Thread? thread;
    private volatile bool stopRequested;

    public ConsumerGroupRunner(ConsumerGroupDispatcher dispatcher, ConsumerGroupOptions options, ConsumerConfig config, IRecordProcessor processor, ConsumerGroupStatus status, ILogger logger, GroupPauses? pauses = null, TransactionalCommits? transactions = null)
    {
        this.dispatcher = dispatcher;
        this.options = options;
        this.config = config;
        this.status = status;
        this.logger = logger;
        var group = dispatcher.GroupId;
        commits = new CommitCoordinator(options, group, logger, transactions, hardStop.Token);
        Action<int> onCompleted = commits.OnCompleted;
        partitions = new PartitionSet(partition => new PartitionWorker(partition, processor, options.MaxConcurrencyPerPartition, options.MaxBufferedPerPartition, hardStop.Token, onCompleted, options.PollThreadFastEnough));
        rebalances = new RebalanceHandler(partitions, commits, options, status, group, logger, hardStop.Token, transactions);
        poll = new PollLoop(partitions, commits, status, group, logger, pauses: pauses, transactions: transactions, onlyTopic: RecordFields.OnlyTopic(dispatcher.Topics));
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

            foreach (var worker in partitions.Snapshot)
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
                .SetPartitionsAssignedHandler(rebalances.OnAssigned)
                .SetPartitionsRevokedHandler(rebalances.OnRevoked)
                .SetPartitionsLostHandler(rebalances.OnLost)
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
            poll.Run(built, () => stopRequested);
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
            commits.Dispose(); // before the consumer: a periodic commit may still be out on it
            lock (consumerGate)
            {
                consumer?.Dispose();
                consumer = null;
            }

            foreach (var worker in partitions.Snapshot)
            {
                worker.Cancel();
                worker.Dispose();
            }

            status.MarkStopped();
            exited.TrySetResult();
        }
    }

    private void Shutdown(IConsumer<byte[], byte[]> consumer)
    {
        ConsumingLog.Stopping(logger, dispatcher.GroupId, partitions.Count);
        rebalances.ShuttingDown = true;
        var started = Environment.TickCount64;
        var refused = rebalances.DrainAndCommit(consumer, [.. partitions.All], options.ShutdownDrainTimeout);
        if (refused is not null)
        {
            commits.CommitAfterRebalance(consumer, refused, started + (long)options.ShutdownDrainTimeout.TotalMilliseconds, hardStop.Token);
        }

        consumer.Close();
    }
}
