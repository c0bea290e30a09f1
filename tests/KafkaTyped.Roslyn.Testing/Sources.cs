namespace KafkaTyped.Roslyn.Testing;

/// <summary>Test inputs shared by the generator's baseline, compile and incrementality tests and the robustness test.</summary>
public static class Sources
{
    public const string OrderSet = """
        using System;
        using System.Collections.Generic;
        using KafkaTyped;

        [assembly: ProtoPackage("shop.orders")]

        namespace Shop.Orders;

        public enum Status { Unknown = 0, Open = 1, Closed = 2 }

        [KafkaMessage]
        public sealed partial record Money([Field(1)] string Currency, [Field(2)] long Units);

        [Topic("orders", Partitions = 12)]
        public partial interface IOrderEvents;

        [KafkaMessage]
        [Reserved(4)]
        public sealed partial record OrderPlaced(
            [Field(1), Key] string OrderId,
            [Field(2)] long AmountCents,
            [Field(3)] DateTimeOffset PlacedAt,
            [Field(5)] Money Total,
            [Field(6)] List<string> Tags) : IOrderEvents;

        [KafkaMessage]
        public sealed partial record OrderClosed : IOrderEvents
        {
            [Field(1), Key] public required Guid OrderId { get; init; }
            [Field(2)] public Status Status { get; set; }
            [Field(3)] public int? Rating { get; init; }
            [Field(4)] public Dictionary<string, Money> Refunds { get; init; } = new();
            [Field(5, Encoding = IntegerEncoding.ZigZag)] public long Delta { get; init; }
            [Field(6)] public decimal Total { get; init; }
            [Field(7)] public TimeSpan Took { get; init; }
            [Field(8)] public byte[] Signature { get; init; } = [];
        }
        """;

    /// <summary>A set with keyed and keyless members, a consumer group handling two of them, and a replicated cache.</summary>
    public const string Wiring = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using KafkaTyped;
        using KafkaTyped.Cache;

        namespace Shop.Billing;

        [Topic("payments", Partitions = 3)]
        public partial interface IPaymentEvents;

        [KafkaMessage]
        public sealed partial record PaymentTaken([Field(1), Key] string PaymentId, [Field(2)] long Cents) : IPaymentEvents;

        [KafkaMessage]
        public sealed partial record PaymentRefunded([Field(1), Key] long PaymentNumber) : IPaymentEvents;

        [KafkaMessage]
        public sealed partial record Heartbeat([Field(1)] int Beat) : IPaymentEvents;

        [KafkaMessage]
        public sealed partial record Price([Field(1)] long Cents);

        [ConsumerGroup("ledger")]
        public sealed partial class Ledger : IHandle<PaymentTaken>, IHandle<PaymentRefunded>
        {
            public ValueTask HandleAsync(PaymentTaken message, MessageContext context, CancellationToken cancellationToken) => default;

            ValueTask IHandle<PaymentRefunded>.HandleAsync(PaymentRefunded message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [ReplicatedCache("prices", Partitions = 4)]
        public sealed partial class PriceCache : ReplicatedCache<string, Price>;
        """;

    /// <summary>A replicated cache and an ordinary handler of its generated operations, next to a set member.</summary>
    public const string CacheOperations = """
        using System.Threading;
        using System.Threading.Tasks;
        using KafkaTyped;
        using KafkaTyped.Cache;

        namespace Shop.Catalog;

        [KafkaMessage]
        public sealed partial record Price([Field(1)] string Sku, [Field(2)] long Cents);

        [Topic("catalog-events")]
        public partial interface ICatalogEvents;

        [KafkaMessage]
        public sealed partial record SkuRetired([Field(1), Key] string Sku) : ICatalogEvents;

        [ReplicatedCache("prices", Partitions = 12)]
        public sealed partial class PriceCache : ReplicatedCache<string, Price>;

        [ReplicatedCache("stock")]
        internal sealed partial class StockCache : ReplicatedCache<long, Price>;

        [ConsumerGroup("audit")]
        public sealed partial class PriceAudit : IHandle<PriceCache.Added>, IHandle<PriceCache.Updated>, IHandle<PriceCache.Deleted>, IHandle<SkuRetired>
        {
            public ValueTask HandleAsync(PriceCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;

            public ValueTask HandleAsync(PriceCache.Updated message, MessageContext context, CancellationToken cancellationToken) => default;

            public ValueTask HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;

            public ValueTask HandleAsync(SkuRetired message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [ConsumerGroup("stock-deletions")]
        internal sealed partial class StockDeletions : IHandle<StockCache.Deleted>
        {
            public ValueTask HandleAsync(StockCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """;

    public const string Unrelated = """
        namespace Shop.Other;

        public sealed class Helper
        {
            public int Value { get; set; }
        }
        """;
}
