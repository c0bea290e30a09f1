using BenchmarkDotNet.Attributes;
using Confluent.SchemaRegistry;
using Google.Protobuf;
using KafkaTyped.Embedded;
using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.SchemaRegistry.Confluent;
using KafkaTyped.Embedded.SchemaRegistry;
using KafkaTyped.Tests.Protos.Shop;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Schema = KafkaTyped.SchemaRegistry.Schema;
using KafkaTyped.Framing;

namespace KafkaTyped.Benchmarks;

/// <summary>
/// The per-message produce and consume paths of <see cref="SchemaRegistryPayloadCodec"/> with KafkaTyped's Schema
/// Registry client behind it and with Confluent's (through the adapter), both against a real embedded registry; plus
/// the registry calls that hit the cache. Schemas are registered once in setup.
/// </summary>
[MemoryDiagnoser]
public class RegistryClientBenchmarks
{
    private EmbeddedKafkaCluster cluster = null!;
    private EmbeddedSchemaRegistry embedded = null!;
    private CachedSchemaRegistryClient confluent = null!;
    private SchemaRegistryProvider ours = null!;
    private SchemaRegistryProvider theirs = null!;
    private SchemaRegistryPayloadCodec codec = null!;
    private ISchemaRegistry registry = null!;
    private Schema schema = null!;
    private int schemaId;
    private byte[] framed = null!;
    private readonly byte[] buffer = new byte[256];
    private readonly Order order = new() { Id = "A-1", Qty = 150 };
    private readonly FramingBenchmarks.OrdersSet set = new();

    /// <summary>Which client the codec uses.</summary>
    [Params("KafkaTyped", "Confluent")]
    public string Client { get; set; } = "KafkaTyped";

    [GlobalSetup]
    public void Setup()
    {
        cluster = EmbeddedKafkaCluster.Start(1);
        embedded = EmbeddedSchemaRegistry.StartAsync(cluster).GetAwaiter().GetResult();
        var options = Options.Create(new SchemaRegistryOptions { Urls = [embedded.Url] });
        var kafka = new KafkaCluster(Options.Create(new KafkaTypedOptions { BootstrapServers = cluster.BootstrapServers }), NullLogger<KafkaCluster>.Instance);
        confluent = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = embedded.Url });
        ours = new SchemaRegistryProvider(options, kafka);
        theirs = new SchemaRegistryProvider(options, kafka, null, ConfluentSchemaRegistry.Adapt(confluent), null);
        var provider = Client == "Confluent" ? theirs : ours;
        codec = new SchemaRegistryPayloadCodec(provider, Options.Create(new SchemaRegistrationOptions()));
        codec.PrepareAsync(set).AsTask().GetAwaiter().GetResult();
        registry = provider.GetRegistryAsync().AsTask().GetAwaiter().GetResult();
        schema = new Schema(Convert.ToBase64String(OrdersReflection.Descriptor.SerializedData.ToByteArray()));
        schemaId = registry.RegisterSchemaAsync("orders-value", schema).AsTask().GetAwaiter().GetResult();
        registry.GetSchemaByIdAsync(schemaId).AsTask().GetAwaiter().GetResult();
        framed = new byte[codec.GetHeaderLength(set, 0) + order.CalculateSize()];
        codec.WriteHeader(set, 0, framed);
        order.WriteTo(framed.AsSpan(codec.GetHeaderLength(set, 0)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ours.DisposeAsync().AsTask().GetAwaiter().GetResult();
        theirs.DisposeAsync().AsTask().GetAwaiter().GetResult();
        confluent.Dispose();
        embedded.DisposeAsync().AsTask().GetAwaiter().GetResult();
        cluster.Dispose();
    }

    /// <summary>Produce: header (schema id, indexes) then payload into a reused buffer.</summary>
    [Benchmark]
    public int Produce()
    {
        var headerLength = codec.GetHeaderLength(set, 0);
        codec.WriteHeader(set, 0, buffer);
        order.WriteTo(buffer.AsSpan(headerLength, order.CalculateSize()));
        return headerLength;
    }

    /// <summary>Consume: read the header, resolve the member from the schema id, parse the payload.</summary>
    [Benchmark]
    public Order Consume()
    {
        if (!codec.TryReadHeader(set, framed, out var index, out var headerLength, out _) || index != 0)
        {
            throw new InvalidOperationException("unexpected frame");
        }

        return Order.Parser.ParseFrom(framed.AsSpan(headerLength));
    }

    /// <summary>A registration the client already made (what producers ask at first use), from its cache.</summary>
    [Benchmark]
    public int RegisterCached()
    {
        var pending = registry.RegisterSchemaAsync("orders-value", schema);
        return pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("not cached");
    }

    /// <summary>A schema id seen before (what the consume path asks for an id it resolved once), from the cache.</summary>
    [Benchmark]
    public int GetByIdCached()
    {
        var pending = registry.GetSchemaByIdAsync(schemaId);
        return pending.IsCompletedSuccessfully ? pending.Result.Text.Length : throw new InvalidOperationException("not cached");
    }
}
