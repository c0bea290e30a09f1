using Confluent.Kafka;
using KafkaTyped.Producing;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// The commits of a transactional consumer group: the consumed offsets go into the member's Kafka transaction together
/// with everything its handlers produced (<see cref="KafkaTransaction"/>), and the transaction commits both at once.
/// </summary>
/// <remarks>
/// <para>A commit first lets every lane finish what it holds (the poll thread hands out nothing meanwhile), so that no
/// handler's output straddles two transactions; then it sends the watermarks with the consumer's group metadata
/// (<c>SendOffsetsToTransaction</c>, which fences a zombie member of an older generation, KIP-447), commits, and begins
/// the next transaction. A transaction that must be aborted rewinds every partition to its last committed offset, so
/// the records whose output was discarded are handled again.</para>
/// <para>Called on the poll thread only.</para>
/// </remarks>
internal sealed class TransactionalCommits : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly IProducer<byte[], byte[]> producer;
    private readonly ILogger logger;
    private readonly string group;
    private readonly TimeSpan quiesceTimeout;

    private readonly bool embedded;

    /// <param name="config">The transactional producer's configuration (with its <c>transactional.id</c>).</param>
    /// <param name="group">The group id.</param>
    /// <param name="quiesceTimeout">How long a commit waits for the lanes to finish what they hold before it aborts.</param>
    /// <param name="embedded">
    /// The group runs on the embedded cluster, whose brokers (librdkafka's mock) accept offsets sent to a transaction but
    /// never store them: they are also committed plainly right after the transaction commits, so that a restarted member
    /// resumes where it was (at-least-once there, instead of reading everything again).
    /// </param>
    /// <param name="logger">The logger.</param>
    public TransactionalCommits(ProducerConfig config, string group, TimeSpan quiesceTimeout, bool embedded, ILogger logger)
    {
        this.embedded = embedded;
        this.group = group;
        this.quiesceTimeout = quiesceTimeout;
        this.logger = logger;
        producer = new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => ConsumingLog.ConsumerError(logger, group, error.Code, error.Reason))
            .SetLogHandler((_, message) => ConsumingLog.Librdkafka(logger, message.Name, message.Message))
            .Build();
        Transaction = new KafkaTransaction(producer);
    }

    /// <summary>The ambient transaction the group's lanes enter.</summary>
    public KafkaTransaction Transaction { get; }

    /// <summary>Registers the transactional id (fencing an older producer with the same id) and begins the first transaction.</summary>
    public void Start()
    {
        producer.InitTransactions(Timeout);
        producer.BeginTransaction();
    }

    /// <summary>
    /// Waits for every lane to finish what it holds, then commits the transaction with every owned partition's
    /// watermark; aborts and rewinds when it cannot. Returns false when the commit was not made.
    /// </summary>
    public bool Commit(IConsumer<byte[], byte[]> consumer, PartitionSet partitions, CancellationToken hardStop)
    {
        if (!Quiesce(partitions, hardStop))
        {
            ConsumingLog.TransactionAborted(logger, group, "handlers did not finish in time");
            Abort(consumer, partitions);
            return false;
        }

        var offsets = new List<TopicPartitionOffset>();
        foreach (var worker in partitions.All)
        {
            if (worker.Offsets.TryGetCommit(out var position))
            {
                offsets.Add(new TopicPartitionOffset(worker.TopicPartition, position));
            }
        }

        try
        {
            if (offsets.Count > 0)
            {
                producer.SendOffsetsToTransaction(offsets, consumer.ConsumerGroupMetadata, Timeout);
            }

            producer.CommitTransaction(Timeout);
            if (embedded && offsets.Count > 0)
            {
                CommitPlainly(consumer, offsets);
            }

            foreach (var offset in offsets)
            {
                if (partitions.TryGet(offset.TopicPartition, out var worker))
                {
                    worker.Offsets.MarkCommitted(offset.Offset.Value);
                }
            }

            producer.BeginTransaction();
            return true;
        }
        catch (KafkaException exception) when (exception is KafkaTxnRequiresAbortException || !exception.Error.IsFatal)
        {
            ConsumingLog.TransactionAborted(logger, group, exception.Error.Reason);
            Abort(consumer, partitions);
            return false;
        }
    }

    private void CommitPlainly(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> offsets)
    {
        try
        {
            consumer.Commit(offsets);
        }
        catch (KafkaException exception)
        {
            ConsumingLog.CommitFailed(logger, exception, group, exception.Error.Code);
        }
    }

    /// <summary>Discards the transaction's output and rewinds every partition to its last committed offset.</summary>
    public void Abort(IConsumer<byte[], byte[]> consumer, PartitionSet partitions)
    {
        try
        {
            producer.AbortTransaction(Timeout);
        }
        catch (KafkaException exception) when (!exception.Error.IsFatal)
        {
            ConsumingLog.TransactionAborted(logger, group, exception.Error.Reason);
        }

        foreach (var worker in partitions.All)
        {
            var position = worker.Offsets.Rewind();
            var restart = position >= 0
                ? new Offset(position)
                : consumer.Committed([worker.TopicPartition], Timeout).FirstOrDefault()?.Offset ?? Offset.Beginning;
            if (restart == Offset.Unset)
            {
                restart = Offset.Beginning;
            }

            worker.Restart(restart.Value);
            consumer.Seek(new TopicPartitionOffset(worker.TopicPartition, restart));
        }

        producer.BeginTransaction();
    }

    public void Dispose()
    {
        try
        {
            // Whatever is still open was not committed with its offsets: discard it (its records are handled again).
            producer.AbortTransaction(TimeSpan.FromSeconds(5));
        }
        catch (KafkaException)
        {
        }

        producer.Dispose();
    }

    private bool Quiesce(PartitionSet partitions, CancellationToken hardStop)
    {
        var deadline = Environment.TickCount64 + (long)quiesceTimeout.TotalMilliseconds;
        // A stopping partition (revoked, or shutdown) has already let its running records finish and dropped the rest.
        while (partitions.All.Any(static worker => !worker.Stopping && worker.Buffered > 0))
        {
            if (Environment.TickCount64 > deadline || hardStop.IsCancellationRequested)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
