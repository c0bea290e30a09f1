using KafkaTyped;

// The codec benchmark message: 10 fields (strings, integers, a timestamp, a nested record, a repeated field).
// Package: the lower-cased namespace (kafkatyped.benchmarks.codec); protoc compiles Protos/ into Kafkatyped.Benchmarks.Codec.
namespace KafkaTyped.Benchmarks.Codec;

[KafkaMessage]
public sealed partial record BenchAddress([Field(1)] string Street, [Field(2)] string City, [Field(3)] int Zip);

[KafkaMessage]
public sealed partial record BenchOrder(
    [Field(1)] string OrderId,
    [Field(2)] string CustomerId,
    [Field(3)] long AmountCents,
    [Field(4)] int Quantity,
    [Field(5)] DateTimeOffset PlacedAt,
    [Field(6)] BenchAddress ShipTo,
    [Field(7)] List<string> Tags,
    [Field(8)] string Currency,
    [Field(9)] bool Express,
    [Field(10)] double Weight);
