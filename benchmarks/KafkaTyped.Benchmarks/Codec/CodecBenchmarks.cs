using System.Buffers;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Reference = Kafkatyped.Benchmarks.Codec;

namespace KafkaTyped.Benchmarks.Codec;

/// <summary>
/// The generated codec on a record against protoc's class for the same .proto (Protos/, compiled at build time), same job,
/// same values. Setup fails if the two ever produce different bytes.
/// </summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private BenchOrder _ours = null!;
    private Reference.BenchOrder _protoc = null!;
    private byte[] _bytes = [];

    [GlobalSetup]
    public void Setup()
    {
        var placedAt = new DateTimeOffset(2024, 11, 21, 10, 30, 15, 250, TimeSpan.Zero);
        _ours = new BenchOrder("ORD-2024-000123", "CUST-98765", 129_990, 3, placedAt, new BenchAddress("221B Baker Street", "London", 12345), ["priority", "gift", "eu"], "EUR", true, 2.75);
        _protoc = new Reference.BenchOrder
        {
            OrderId = _ours.OrderId,
            CustomerId = _ours.CustomerId,
            AmountCents = _ours.AmountCents,
            Quantity = _ours.Quantity,
            PlacedAt = Timestamp.FromDateTimeOffset(placedAt),
            ShipTo = new Reference.BenchAddress { Street = _ours.ShipTo.Street, City = _ours.ShipTo.City, Zip = _ours.ShipTo.Zip },
            Currency = _ours.Currency,
            Express = _ours.Express,
            Weight = _ours.Weight,
        };
        _protoc.Tags.AddRange(_ours.Tags);
        _bytes = _protoc.ToByteArray();
        if (!_bytes.AsSpan().SequenceEqual(_ours.ToByteArray()) || !BenchOrder.Parser.ParseFrom(_bytes).Equals(_ours))
        {
            throw new InvalidOperationException("The generated codec and protoc disagree on the benchmark message.");
        }

        if (!BenchOrder.ProtoFile.Descriptor.AsSpan().SequenceEqual(Reference.BenchOrderReflection.Descriptor.SerializedData.Span)
            || BenchOrder.ProtoFile.Text != File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Codec", "Protos", BenchOrder.ProtoFile.Name)))
        {
            throw new InvalidOperationException("Codec/Protos/ is stale: copy BenchOrder.ProtoFile.Text there.");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("WriteTo")]
    public int Protoc_WriteTo_BufferWriter()
    {
        _buffer.ResetWrittenCount();
        _protoc.WriteTo(_buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    [BenchmarkCategory("WriteTo")]
    public int Generated_WriteTo_BufferWriter()
    {
        _buffer.ResetWrittenCount();
        _ours.WriteTo(_buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int Protoc_CalculateSize() => _protoc.CalculateSize();

    [Benchmark]
    public int Generated_CalculateSize() => _ours.CalculateSize();

    [Benchmark]
    public byte[] Protoc_ToByteArray() => _protoc.ToByteArray();

    [Benchmark]
    public byte[] Generated_ToByteArray() => _ours.ToByteArray();

    [Benchmark]
    public byte[] Generated_ToByteArray_Manual()
    {
        var result = new byte[_ours.CalculateSize()];
        var output = new CodedOutputStream(result);
        _ours.WriteTo(output);
        output.CheckNoSpaceLeft();
        return result;
    }

    [Benchmark]
    public Reference.BenchOrder Protoc_Parse_Span() => Reference.BenchOrder.Parser.ParseFrom(_bytes.AsSpan());

    [Benchmark]
    public BenchOrder Generated_Parse_Span() => BenchOrder.Parser.ParseFrom(_bytes.AsSpan());
}
