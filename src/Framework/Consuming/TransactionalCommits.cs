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
    private readonly TimeSpan retryDelay;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Topic, int Partition, long Offset), (int Count, Exception Last)> failures = new();
    private volatile bool abortRequested;

    /// <param name="config">The transactional producer's configuration (with its <c>transactional.id</c>).</param>
    /// <param name="group">The group id.</param>
    /// <param name="quiesceTimeout">How long a commit waits for the lanes to finish what they hold before it aborts.</param>
    /// <param name="embedded">
    /// The group runs on the embedded cluster, whose brokers (librdkafka's mock) accept offsets sent to a transaction but
    /// never store them: they are also committed plainly right after the transaction commits, so that a restarted member
    /// resumes where it was (at-least-once there, instead of reading everything again).
    /// </param>
    /// <param name="logger">The logger.</param>
    /// <param name="retryDelay">The pause after a transaction aborted because a handler failed.</param>
    public TransactionalCommits(ProducerConfig config, string group, TimeSpan quiesceTimeout, bool embedded, ILogger logger, TimeSpan retryDelay = default)
    {
        this.retryDelay = retryDelay;
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

    /// <summary>True once a handler failed: the poll loop aborts the transaction at its next turn.</summary>
    public bool AbortRequested => abortRequested;

    /// <summary>
    /// A handler failed after (possibly) producing into the transaction: its output must not be committed, so the whole
    /// transaction is aborted and every partition read again from its last commit (instead of retrying in place, which
    /// would commit the failed attempt's output next to the successful one's). Returns the record's failures so far.
    /// </summary>
    public int Failed(ConsumeResult<byte[], byte[]> record, Exception failure, bool final)
    {
        var key = (record.Topic, record.Partition.Value, record.Offset.Value);
        var count = failures.AddOrUpdate(key, (final ? int.MaxValue : 1, failure), (_, previous) => (final ? int.MaxValue : previous.Count + 1, failure)).Count;
        abortRequested = true;
        return count;
    }

    /// <summary>How many times the record's handling failed (across aborted transactions), and the last failure.</summary>
    public (int Count, Exception? Last) FailuresOf(ConsumeResult<byte[], byte[]> record) =>
        failures.TryGetValue((record.Topic, record.Partition.Value, record.Offset.Value), out var entry) ? entry : (0, null);

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
        if (abortRequested)
        {
            // A handler failed: nothing of this transaction may be committed; the poll loop aborts it next.
            return false;
        }

        if (!Quiesce(partitions, hardStop))
        {
            if (abortRequested)
            {
                return false;
            }

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

            // Committed records never come back: their failure counts can go.
            foreach (var key in failures.Keys)
            {
                if (offsets.Any(o => o.Topic == key.Topic && o.Partition.Value == key.Partition && key.Offset < o.Offset.Value))
                {
                    failures.TryRemove(key, out _);
                }
            }

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

    /// <summary>
    /// After a handler failure: stops every partition's lanes (each finishes the record it runs), aborts the transaction,
    /// and starts every partition afresh from its last commit.
    /// </summary>
    public void AbortAfterFailure(IConsumer<byte[], byte[]> consumer, PartitionSet partitions, CancellationToken hardStop)
    {
        abortRequested = false;
        ConsumingLog.TransactionAborted(logger, group, "a handler failed; its output is discarded and its partition read again");
        var stopped = new List<Task>();
        var replaced = new List<PartitionWorker>();
        foreach (var worker in partitions.All.ToList())
        {
            stopped.Add(partitions.Replace(worker, out var fresh));
            fresh.Offsets.Committed(worker.Offsets.Rewind());
            replaced.Add(fresh);
        }

        try
        {
            Task.WhenAll(stopped).Wait(quiesceTimeout, hardStop);
        }
        catch (OperationCanceledException)
        {
        }

        Abort(consumer, partitions);

        // Not a hot loop when a record keeps failing (and no dead-letter topic takes it).
        Thread.Sleep(retryDelay);
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
            if (Environment.TickCount64 > deadline || hardStop.IsCancellationRequested || abortRequested)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
