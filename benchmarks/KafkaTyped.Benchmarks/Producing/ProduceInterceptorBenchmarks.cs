using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Benchmarks.Producing;

/// <summary>
/// The typed producer's cost per fire-and-forget send with no broker (bootstrap 127.0.0.1:1: messages only queue in
/// librdkafka), without produce interceptors and with one that adds a header. Without interceptors the sender's only
/// extra work over main is a null check of a field.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[InvocationCount(100_000)]
public class ProduceInterceptorBenchmarks
{
    private readonly Action<DeliveryReport<int, BytesValue>> onDelivered = static _ => { };
    private readonly List<KafkaProducerConnection> connections = [];
    private ServiceProvider provider = null!;
    private ProduceBenchmarks.BenchProducer plain = null!;
    private ProduceBenchmarks.BenchProducer intercepted = null!;
    private BytesValue message = null!;

    [GlobalSetup]
    public void Setup()
    {
        message = new BytesValue { Value = ByteString.CopyFrom(new byte[92]) };
        provider = new ServiceCollection().AddProduceInterceptor<HeaderInterceptor>().BuildServiceProvider();
        plain = Create(null);
        intercepted = Create(provider.GetRequiredService<InterceptorRegistry>());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var connection in connections)
        {
            connection.Producer.Dispose();
        }

        provider.Dispose();
    }

    [Benchmark(Baseline = true, Description = "typed Produce(message, handler), no interceptor")]
    public void NoInterceptor() => plain.Produce(message, 7, onDelivered);

    [Benchmark(Description = "typed Produce(message, handler), one interceptor adding a header")]
    public void OneInterceptor() => intercepted.Produce(message, 7, onDelivered);

    private ProduceBenchmarks.BenchProducer Create(InterceptorRegistry? interceptors)
    {
        var options = Options.Create(new KafkaTypedOptions
        {
            BootstrapServers = "127.0.0.1:1",
            ProducerSettings = { ["queue.buffering.max.messages"] = "10000000", ["message.timeout.ms"] = "3600000", ["linger.ms"] = "5" },
        });
        var cluster = new KafkaCluster(options, NullLogger<KafkaCluster>.Instance);
        var connection = new KafkaProducerConnection(cluster, options, NullLogger<KafkaProducerConnection>.Instance, []);
        connections.Add(connection);
        var services = new ProducerServices(connection, new ConfluentFramingWithoutRegistry(), new TopicProvisioner(cluster, options, NullLogger<TopicProvisioner>.Instance), NullLoggerFactory.Instance, interceptors);
        return new ProduceBenchmarks.BenchProducer(services);
    }

    public sealed class HeaderInterceptor : IProduceInterceptor<BytesValue>
    {
        private static readonly byte[] Tenant = "tenant-1"u8.ToArray();

        public void OnProduce(BytesValue message, ProduceContext context) => context.Headers.Add("tenant", Tenant);
    }
}
