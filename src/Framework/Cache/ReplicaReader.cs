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
        consumer = new ConsumerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => CacheLog.ConsumeFailed(logger, name, error.Reason))
            .SetLogHandler((_, message) => ConsumingLog.Librdkafka(logger, message.Name, message.Message))
            .Build();
        var ends = new Dictionary<int, long>();
        foreach (var partition in share)
        {
            ends[partition.Partition.Value] = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(30)).High.Value;
        }

        return ends;
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
            new PollLoop(partitions, commits: null, status: null, name, logger, stageEndOfPartition: true).Run(consumer!, () => stopping.IsCancellationRequested);
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
