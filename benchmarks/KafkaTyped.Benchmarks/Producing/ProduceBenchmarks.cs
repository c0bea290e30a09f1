using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Benchmarks.Producing;

/// <summary>
/// The producing thread's cost per message, with no broker (bootstrap 127.0.0.1:1, so messages only queue in librdkafka):
/// raw <c>Produce(message, handler)</c> with pre-serialized bytes against the typed producer (encode key and value,
/// trace and metrics checks, then the same call).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[InvocationCount(100_000)]
public class ProduceBenchmarks
{
    private readonly Action<DeliveryReport<byte[], byte[]>> onDelivered = static _ => { };
    private readonly Action<DeliveryReport<int, BytesValue>> onTypedDelivered = static _ => { };
    private IProducer<byte[], byte[]> raw = null!;
    private KafkaProducerConnection connection = null!;
    private BenchProducer typed = null!;
    private BytesValue message = null!;
    private byte[] framed = null!;
    private readonly byte[] key = [0, 0, 0, 7];

    [GlobalSetup]
    public void Setup()
    {
        var options = Options.Create(new KafkaTypedOptions
        {
            BootstrapServers = "127.0.0.1:1",
            ProducerSettings = { ["queue.buffering.max.messages"] = "10000000", ["message.timeout.ms"] = "3600000", ["linger.ms"] = "5" },
        });
        var cluster = new KafkaCluster(options, NullLogger<KafkaCluster>.Instance);
        connection = new KafkaProducerConnection(cluster, options, NullLogger<KafkaProducerConnection>.Instance, []);
        var services = new ProducerServices(connection, new ConfluentFramingWithoutRegistry(), new TopicProvisioner(cluster, options, NullLogger<TopicProvisioner>.Instance), NullLoggerFactory.Instance, interceptors: null);
        typed = new BenchProducer(services);
        raw = new ProducerBuilder<byte[], byte[]>(BuildConfig(connection)).Build();
        message = new BytesValue { Value = ByteString.CopyFrom(new byte[92]) };
        framed = new byte[100];
        new ConfluentFramingWithoutRegistry().WriteHeader(BenchSet.Instance, 0, framed.AsSpan(0, 6));
        message.WriteTo(framed.AsSpan(6));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        // Confluent.Kafka 1.9 has no Purge: the queued messages (a few hundred MB) go with the producers.
        raw.Dispose();
        connection.Producer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw Produce(pre-serialized, handler)")]
    public void Raw() => raw.Produce("bench", new Message<byte[], byte[]> { Key = key, Value = framed }, onDelivered);

    [Benchmark(Description = "typed Produce(message, handler)")]
    public void Typed() => typed.Produce(message, 7, onTypedDelivered);

    [Benchmark(Description = "raw Produce(pre-serialized), no handler")]
    public void RawNoHandler() => raw.Produce("bench", new Message<byte[], byte[]> { Key = key, Value = framed });

    [Benchmark(Description = "typed Produce(message), no handler")]
    public void TypedNoHandler() => typed.Produce(message, 7, null);

    private static ProducerConfig BuildConfig(KafkaProducerConnection connection)
    {
        _ = connection.Producer;
        return connection.Config!;
    }

    internal sealed class BenchSet : MessageSetDefinition
    {
        public static readonly BenchSet Instance = new();

        public override string Topic => "bench";

        public override int Partitions => 1;

        public override ProtoFile File { get; } = new("bench.proto", "bench", "syntax = \"proto3\";", [], []);

        public override IReadOnlyList<string> MessageNames { get; } = ["google.protobuf.BytesValue"];
    }

    /// <summary>As generated.</summary>
    internal sealed class BenchProducer : TypedProducer
    {
        private readonly MessageSender<int, BytesValue> sender;

        public BenchProducer(ProducerServices services)
            : base(services, BenchSet.Instance)
        {
            sender = CreateSender<int, BytesValue>(0);
        }

        public void Produce(BytesValue value, int id, Action<DeliveryReport<int, BytesValue>>? deliveryHandler) =>
            sender.Produce(id, value, deliveryHandler, null, default);
    }
}
