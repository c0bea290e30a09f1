using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Consuming.Batching;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Benchmarks.Consuming;

/// <summary>
/// The engine's cost per record for a no-op handler, single dispatch (<see cref="IHandle{TMessage}"/>, one
/// <see cref="MessageProcessor"/> call per record) against batch dispatch (<see cref="IHandleBatch{TMessage}"/>, one
/// <see cref="BatchRecordProcessor"/> run per gathered batch), both with the default DI scope per 100 records. No broker:
/// the records are in memory, so this is the dispatch's own cost (framing, parse, handler call, scope), not the client's.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class BatchDispatchBenchmarks
{
    private const int Records = 100;

    private readonly ConsumeResult<byte[], byte[]>[] records = new ConsumeResult<byte[], byte[]>[Records];
    private readonly int[] slots = new int[Records];
    private MessageProcessor single = null!;
    private LaneScope singleLane = null!;
    private BatchRecordProcessor batching = null!;
    private LaneScope batchLane = null!;
    private PartitionWorker partition = null!;
    private ConsumeResult<byte[], byte[]>[][] batches = null!;

    [Params(10, 100)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var payload = new BytesValue { Value = ByteString.CopyFrom(new byte[92]) }.ToByteArray();
        var value = new byte[6 + payload.Length];
        payload.CopyTo(value, 6);
        for (var i = 0; i < Records; i++)
        {
            records[i] = new ConsumeResult<byte[], byte[]>
            {
                Topic = "bench",
                Partition = 0,
                Offset = i,
                Message = new Message<byte[], byte[]> { Key = [0, 0, 0, 1], Value = value, Timestamp = new Confluent.Kafka.Timestamp(DateTime.UtcNow) },
            };
        }

        // The lane's gathered batches, cut once: the benchmark measures the dispatch, not the slicing.
        batches = [.. records.Chunk(BatchSize)];
        var services = new ServiceCollection().AddScoped<NoOpHandler>().BuildServiceProvider();
        var options = Options.Create(new KafkaTypedOptions { BootstrapServers = "127.0.0.1:1" });
        var cluster = new KafkaCluster(options, NullLogger<KafkaCluster>.Instance);
        var connection = new KafkaProducerConnection(cluster, options, NullLogger<KafkaProducerConnection>.Instance, []);
        var deadLetters = new DeadLetterPublisher(connection, "bench", ".dlq", NullLogger.Instance);
        var groupOptions = new ConsumerGroupOptions();

        single = new MessageProcessor(new SingleDispatcher(new ConfluentFramingWithoutRegistry()), services, groupOptions, deadLetters, NullLogger.Instance);
        singleLane = single.CreateLaneScope();
        var batchDispatcher = new BatchDispatcher(new ConfluentFramingWithoutRegistry());
        var inner = new MessageProcessor(batchDispatcher, services, groupOptions, deadLetters, NullLogger.Instance);
        batching = new BatchRecordProcessor(inner, batchDispatcher, services, groupOptions, deadLetters, NullLogger.Instance);
        batchLane = batching.CreateLaneScope();
        partition = new PartitionWorker(new TopicPartition("bench", 0), batching, 1, 1000, CancellationToken.None, static _ => { });
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records, Description = "IHandle<T>: one dispatch per record")]
    public bool Single()
    {
        var handled = true;
        for (var i = 0; i < Records; i++)
        {
            handled &= single.ProcessAsync(records[i], singleLane, CancellationToken.None).Result;
        }

        // What the lane does when its scope of 100 records ends.
        singleLane.EndAsync().AsTask().GetAwaiter().GetResult();
        return handled;
    }

    [Benchmark(OperationsPerInvoke = Records, Description = "IHandleBatch<T>: one dispatch per batch")]
    public int Batch()
    {
        var done = 0;
        foreach (var batch in batches)
        {
            // What the batch lane does per gathered batch: run it, then end its scope.
            done += batching.ProcessRunAsync(batch, batch.Length, slots, partition, batchLane, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            batchLane.EndAsync().AsTask().GetAwaiter().GetResult();
        }

        return done;
    }

    private sealed class NoOpHandler : IHandle<BytesValue>, IHandleBatch<BytesValue>
    {
        public ValueTask HandleAsync(BytesValue message, MessageContext context, CancellationToken cancellationToken) => default;

        public ValueTask HandleAsync(MessageBatch<BytesValue> batch, CancellationToken cancellationToken) => default;
    }

    /// <summary>As generated for an <see cref="IHandle{TMessage}"/> group.</summary>
    private sealed class SingleDispatcher(IPayloadCodec codec) : ConsumerGroupDispatcher(codec)
    {
        private static readonly MessageSetDefinition[] Sets = [DispatchBenchmarks.BenchSet.Instance];

        public override string GroupId => "bench";

        public override IReadOnlyList<MessageSetDefinition> Topics => Sets;

        public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
        {
            var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
            if (topicIndex == 0 && messageIndex == 0)
            {
                return ((IHandle<BytesValue>)services.GetRequiredService<NoOpHandler>()).HandleAsync(Parse(BytesValue.Parser, payload, record), context, cancellationToken);
            }

            return Unhandled(record, topicIndex, messageIndex);
        }
    }

    /// <summary>As generated for an <see cref="IHandleBatch{TMessage}"/> group.</summary>
    private sealed class BatchDispatcher(IPayloadCodec codec) : ConsumerGroupDispatcher(codec)
    {
        private static readonly MessageSetDefinition[] Sets = [DispatchBenchmarks.BenchSet.Instance];

        public override string GroupId => "bench";

        public override IReadOnlyList<MessageSetDefinition> Topics => Sets;

        public override int BatchHandlerCount => 1;

        public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
        {
            var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
            if (topicIndex == 0 && messageIndex == 0)
            {
                return ((IHandleBatch<BytesValue>)services.GetRequiredService<NoOpHandler>()).HandleAsync(BatchOfOne(Parse(BytesValue.Parser, payload, record), context), cancellationToken);
            }

            return Unhandled(record, topicIndex, messageIndex);
        }

        public override ValueTask DispatchBatchAsync(int slot, ReadOnlyMemory<ConsumeResult<byte[], byte[]>> records, int attempt, IServiceProvider services, CancellationToken cancellationToken) =>
            slot == 0
                ? ((IHandleBatch<BytesValue>)services.GetRequiredService<NoOpHandler>()).HandleAsync(ReadBatch(BytesValue.Parser, records, attempt), cancellationToken)
                : UnknownBatchSlot(slot);

        protected override int BatchSlotOf(int topicIndex, int messageIndex) => topicIndex == 0 && messageIndex == 0 ? 0 : -1;
    }
}
