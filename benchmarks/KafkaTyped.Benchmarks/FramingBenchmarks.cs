using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using KafkaTyped.Protobuf;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;
using KafkaTyped.Tests.Protos.Shop;

namespace KafkaTyped.Benchmarks;

/// <summary>
/// Confluent framing cost on top of the bare Google.Protobuf codec: serialize (header + WriteTo into a reused
/// IBufferWriter) and deserialize (read header, resolve the index from memory, parse the payload).
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private readonly ArrayBufferWriter<byte> writer = new(1024);
    private Order order = null!;
    private ProtobufWireSerializer serializer = null!;
    private MessageIndexResolver resolver = null!;
    private SchemaRegistryClient registry = null!;
    private byte[] bare = null!;
    private byte[] framed = null!;

    /// <summary>Payload size: about 100 B or 1 KB on the wire.</summary>
    [Params(100, 1000)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        order = new Order { Id = new string('x', PayloadBytes - 6), Qty = 150 };
        var set = new OrdersSet();
        var registered = new RegisteredMessageSet(set, ["orders-value"], [42, 42], [MessageIndexPath.TopLevel(0), MessageIndexPath.TopLevel(1)], 1);
        serializer = new ProtobufWireSerializer(registered);

        // Never called: the benchmark measures the in-memory path after startup.
        registry = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = ["http://127.0.0.1:1"] });
        resolver = new MessageIndexResolver(registered, registry);
        bare = order.ToByteArray();
        framed = serializer.ToArray(0, order);
    }

    [GlobalCleanup]
    public void Cleanup() => registry.Dispose();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Serialize")]
    public int SerializeBare()
    {
        writer.ResetWrittenCount();
        order.WriteTo(writer);
        return writer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Serialize")]
    public int SerializeFramed()
    {
        writer.ResetWrittenCount();
        serializer.Serialize(writer, 0, order);
        return writer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Deserialize")]
    public Order DeserializeBare() => Order.Parser.ParseFrom(bare.AsSpan());

    [Benchmark]
    [BenchmarkCategory("Deserialize")]
    public Order DeserializeFramed()
    {
        var header = ConfluentWireFormat.ReadHeader(framed);
        if (!resolver.TryResolve(header, out var index) || index != 0)
        {
            throw new InvalidOperationException("unexpected index");
        }

        return Order.Parser.ParseFrom(framed.AsSpan(header.PayloadOffset));
    }

    [Benchmark]
    [BenchmarkCategory("Header")]
    public int ReadHeaderOnly() => ConfluentWireFormat.ReadHeader(framed).PayloadOffset;

    [Benchmark]
    [BenchmarkCategory("Header")]
    public int WriteHeaderOnly()
    {
        writer.ResetWrittenCount();
        ConfluentWireFormat.WriteHeader(writer, 42, default);
        return writer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("Header")]
    public int ReadHeaderAndResolve()
    {
        var header = ConfluentWireFormat.ReadHeader(framed);
        return resolver.TryResolve(header, out var index) ? index + header.PayloadOffset : -1;
    }

    /// <summary>The tests' orders.proto as a message set (also used by <see cref="RegistryClientBenchmarks"/>).</summary>
    internal sealed class OrdersSet : MessageSetDefinition
    {
        public override string Topic => "orders";

        public override int Partitions => 1;

        public override ProtoFile File { get; } = new(OrdersReflection.Descriptor.Name, "shop", string.Empty, OrdersReflection.Descriptor.SerializedData.ToByteArray(), []);

        public override IReadOnlyList<string> MessageNames { get; } = ["shop.Order", "shop.Envelope"];
    }
}
