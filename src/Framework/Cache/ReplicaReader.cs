using Confluent.Kafka;
using KafkaTyped.Consuming;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Cache;

/// <summary>
/// One consumer of a replica: the consumer engine in assignment mode. It reads its share of the cache topic's partitions
/// from the beginning with the same <see cref="PollLoop"/>, partitions and lanes as a consumer group, with one lane per
/// partition (so each key is applied in log order), no group and no commits; end-of-partition markers pass through the
/// lanes in order, which is how the ready gate knows a partition was applied up to its end.
/// </summary>
/// <remarks>Polls on a dedicated thread; stopping drains the lanes. Not thread-safe: the owning cache starts and stops it.</remarks>
internal sealed class ReplicaReader
{
    // A replica's lanes only write a dictionary: a deep buffer keeps fetches flowing during bootstrap.
    private const int BufferedPerPartition = 4096;

    private readonly ConsumerConfig config;
    private readonly IReadOnlyList<TopicPartition> share;
    private readonly IRecordProcessor applier;
    private readonly string name;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PartitionSet partitions;
    private IConsumer<byte[], byte[]>? consumer;

    public ReplicaReader(ConsumerConfig config, IReadOnlyList<TopicPartition> share, IRecordProcessor applier, string name, ILogger logger)
    {
        this.config = config;
        this.share = share;
        this.applier = applier;
        this.name = name;
        this.logger = logger;
        partitions = new PartitionSet(partition => new PartitionWorker(partition, applier, laneCount: 1, BufferedPerPartition, stopping.Token, static _ => { }));
    }

    /// <summary>Builds the consumer and returns the end offsets of the reader's partitions (what "ready" means).</summary>
    public Dictionary<int, long> Connect()
    {
        consumer = Build();
        var ends = new Dictionary<int, long>();
        var deadline = DateTime.UtcNow + EndOffsetTimeout;
        foreach (var partition in share)
        {
            ends[partition.Partition.Value] = EndOffset(partition, deadline);
        }

        return ends;
    }

    private IConsumer<byte[], byte[]> Build() =>
        new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => CacheLog.ConsumeFailed(logger, name, error.Reason))
            .SetLogHandler((_, message) => ConsumingLog.Librdkafka(logger, message.Name, message.Message))
            .Build();

    /// <summary>How long a start waits for the end offsets of its partitions, for all of them together.</summary>
    private static readonly TimeSpan EndOffsetTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The partition's end offset. While the broker that leads it is down librdkafka answers at once (unknown partition,
    /// no leader) instead of waiting, so the question is asked again until <paramref name="deadline"/>, as a consumer
    /// group waits for its brokers: a cache started during a broker outage becomes ready when the broker is back.
    /// </summary>
    private long EndOffset(TopicPartition partition, DateTime deadline)
    {
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            try
            {
                return consumer!.QueryWatermarkOffsets(partition, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1)).High.Value;
            }
            catch (KafkaException error) when (!error.Error.IsFatal && DateTime.UtcNow < deadline)
            {
                // A fresh client: the failed one keeps the partition's leaderless metadata and answers the same.
                CacheLog.ConsumeFailed(logger, name, $"end offset of {partition}: {error.Error.Reason}; asking again");
                consumer!.Dispose();
                Thread.Sleep(250);
                consumer = Build();
            }
        }
    }

    /// <summary>Assigns the share from the beginning and starts polling.</summary>
    public void Start()
    {
        var built = consumer ?? throw new InvalidOperationException("Connect first.");
        foreach (var partition in share)
        {
            partitions.Add(partition);
        }

        built.Assign(share.Select(static p => new TopicPartitionOffset(p, Offset.Beginning)));
        new Thread(Run) { IsBackground = true, Name = "kafkatyped-cache-" + name }.Start();
    }

    /// <summary>Stops polling and waits for the lanes to finish the record they apply.</summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (consumer is null)
        {
            return;
        }

        await exited.Task.ConfigureAwait(false);
    }

    private void Run()
    {
        try
        {
            new PollLoop(partitions, commits: null, status: null, name, logger, stageEndOfPartition: true, onlyTopic: share[0].Topic).Run(consumer!, () => stopping.IsCancellationRequested);
        }
        catch (Exception error)
        {
            CacheLog.ConsumeFailed(logger, name, error.Message);
        }
        finally
        {
            var lanes = partitions.Snapshot.Select(static worker => worker.StopAccepting()).ToArray();
            try
            {
                Task.WaitAll(lanes, TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // A lane that failed was already logged by the applier; the replica is stopping anyway.
            }

            consumer!.Close();
            consumer.Dispose();
            exited.TrySetResult();
        }
    }
}
