using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Benchmarks.Consuming;

/// <summary>
/// The consumer's per-record cost beyond the client: the engine's processing of one record (context, span check,
/// metrics, dispatch switch, framing, parse, handler call) against parsing the message alone, no broker involved.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class DispatchBenchmarks
{
    private ConsumeResult<byte[], byte[]> record = null!;
    private byte[] protobuf = null!;
    private MessageProcessor perMessage = null!;
    private MessageProcessor perBatch = null!;
    private MessageProcessor root = null!;
    private LaneScope perMessageLane = null!;
    private LaneScope perBatchLane = null!;
    private LaneScope rootLane = null!;
    private int inBatch;
    private PartitionWorker pollThreadWorker = null!;
    private int inBurst;

    [GlobalSetup]
    public void Setup()
    {
        var message = new BytesValue { Value = ByteString.CopyFrom(new byte[92]) };
        protobuf = message.ToByteArray();
        var value = new byte[6 + protobuf.Length];
        protobuf.CopyTo(value, 6);
        record = new ConsumeResult<byte[], byte[]>
        {
            Topic = "bench",
            Partition = 0,
            Offset = 42,
            Message = new Message<byte[], byte[]> { Key = [0, 0, 0, 1], Value = value, Timestamp = new Confluent.Kafka.Timestamp(DateTime.UtcNow) },
        };

        perMessage = CreateProcessor(HandlerScope.PerMessage);
        perBatch = CreateProcessor(HandlerScope.PerBatch);
        root = CreateProcessor(HandlerScope.Root);
        perMessageLane = perMessage.CreateLaneScope();
        perBatchLane = perBatch.CreateLaneScope();
        rootLane = root.CreateLaneScope();
        pollThreadWorker = CreatePollThreadWorker();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        pollThreadWorker.StopAccepting().GetAwaiter().GetResult();
        pollThreadWorker.Dispose();
    }

    [Benchmark(Baseline = true, Description = "parse only (the message object)")]
    public BytesValue ParseOnly() => BytesValue.Parser.ParseFrom(protobuf.AsSpan());

    [Benchmark(Description = "engine: process record, root provider (singleton handler)")]
    public bool ProcessRoot() => root.ProcessAsync(record, rootLane, CancellationToken.None).Result;

    [Benchmark(Description = "engine: process record, scope per batch of 100 (default)")]
    public bool ProcessPerBatch()
    {
        var handled = perBatch.ProcessAsync(record, perBatchLane, CancellationToken.None).Result;
        if (++inBatch == perBatch.MaxMessagesPerScope)
        {
            // What the lane does when a batch ends.
            inBatch = 0;
            perBatchLane.EndAsync().AsTask().GetAwaiter().GetResult();
        }

        return handled;
    }

    /// <summary>
    /// What the poll thread does per record once a partition's handlers proved fast (HandleOnPollThread): stage it, run
    /// it in place, mark its offset; a poll burst (at most 2,048 records) ends every 2,048 records.
    /// </summary>
    [Benchmark(Description = "engine: stage and run on the poll thread, scope per burst (default)")]
    public void StageOnPollThread()
    {
        pollThreadWorker.Stage(record);
        if (++inBurst == 2048)
        {
            inBurst = 0;
            pollThreadWorker.Flush();
        }
    }

    [Benchmark(Description = "engine: process record, scope per message")]
    public bool ProcessPerMessage() => perMessage.ProcessAsync(record, perMessageLane, CancellationToken.None).Result;

    private PartitionWorker CreatePollThreadWorker()
    {
        var worker = new PartitionWorker(new TopicPartition("bench", 0), perBatch, laneCount: 1, capacity: 1000, CancellationToken.None, static _ => { });

        // The partition's lanes time its first records; once they saw fast synchronous handlers the poll thread takes over.
        for (var i = 0; i < 64; i++)
        {
            worker.Stage(record);
        }

        worker.Flush();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (worker.Buffered > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(1);
        }

        return worker;
    }

    private static MessageProcessor CreateProcessor(HandlerScope scope)
    {
        var services = new ServiceCollection();
        if (scope == HandlerScope.Root)
        {
            services.AddSingleton<NoOpHandler>();
        }
        else
        {
            services.AddScoped<NoOpHandler>();
        }

        var provider = services.BuildServiceProvider();
        var options = Options.Create(new KafkaTypedOptions { BootstrapServers = "127.0.0.1:1" });
        var cluster = new KafkaCluster(options, NullLogger<KafkaCluster>.Instance);
        var connection = new KafkaProducerConnection(cluster, options, NullLogger<KafkaProducerConnection>.Instance, []);
        var groupOptions = new ConsumerGroupOptions { HandlerScope = scope };
        var dispatcher = new BenchDispatcher(new ConfluentFramingWithoutRegistry());
        return new MessageProcessor(dispatcher, provider, groupOptions, new DeadLetterPublisher(connection, "bench", ".dlq", NullLogger.Instance), NullLogger.Instance, registrations: new ScopedRegistrations(services));
    }

    /// <summary>A one-member set of <c>BytesValue</c> on topic <c>bench</c> (also used by <see cref="BatchDispatchBenchmarks"/>).</summary>
    internal sealed class BenchSet : MessageSetDefinition
    {
        public static readonly BenchSet Instance = new();

        public override string Topic => "bench";

        public override int Partitions => 1;

        public override ProtoFile File { get; } = new("bench.proto", "bench", "syntax = \"proto3\";", [], []);

        public override IReadOnlyList<string> MessageNames { get; } = ["google.protobuf.BytesValue"];
    }

    private sealed class NoOpHandler : IHandle<BytesValue>
    {
        public ValueTask HandleAsync(BytesValue message, MessageContext context, CancellationToken cancellationToken) => default;
    }

    /// <summary>As generated.</summary>
    private sealed class BenchDispatcher(IPayloadCodec codec) : ConsumerGroupDispatcher(codec)
    {
        private static readonly MessageSetDefinition[] Sets = [BenchSet.Instance];

        public override string GroupId => "bench";

        public override IReadOnlyList<MessageSetDefinition> Topics => Sets;

        public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
        {
            var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
            switch (topicIndex)
            {
                case 0:
                    switch (messageIndex)
                    {
                        case 0: return services.GetRequiredService<NoOpHandler>().HandleAsync(Parse(BytesValue.Parser, payload, record), context, cancellationToken);
                    }

                    break;
            }

            return Unhandled(record, topicIndex, messageIndex);
        }
    }
}
