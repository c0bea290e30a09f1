namespace KafkaTyped.Generators.Tests;

/// <summary>Test inputs shared by the baseline, compile, incrementality and robustness tests.</summary>
internal static class Sources
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

    public const string Unrelated = """
        namespace Shop.Other;

        public sealed class Helper
        {
            public int Value { get; set; }
        }
        """;
}
