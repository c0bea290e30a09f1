using KafkaTyped;

namespace RealtimeCache;

/// <summary>A product price: the value type of the replicated price cache. The generator makes it a Protobuf message.</summary>
[KafkaMessage]
public sealed partial record Price([Field(1)] string Sku, [Field(2)] long Cents, [Field(3)] string Currency, [Field(4)] DateTimeOffset ChangedAt)
{
    /// <summary>The price as people read it.</summary>
    public string Display => $"{Cents / 100m:0.00} {Currency}";
}
