using System.Collections.Immutable;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>Each schema-evolution rule against a committed baseline, with the exact location it reports.</summary>
public sealed class SchemaEvolutionTests
{
    private const string OrdersBaseline = """
        syntax = "proto3";
        package shop.orders;

        import "google/protobuf/timestamp.proto";

        // Exported by KafkaTyped 0.1.0.
        message OrderPlaced {
          reserved 9, 12 to 14;
          reserved "legacy_code";
          string order_id = 1;
          int64 amount_cents = 2;
          google.protobuf.Timestamp placed_at = 3;
          repeated string tags = 4;
          Status status = 5;
          map<string, int32> counts = 6;
          oneof payment {
            string card = 7;
            string voucher = 8;
          }
          enum Status { STATUS_UNSPECIFIED = 0; }
        }

        message OrderCancelled {
          string order_id = 1;
          string reason = 2 [deprecated = true];
        }
        """;

    private const string Current = """
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            public enum Status { Unspecified = 0 }

            [KafkaMessage]
            public sealed partial record OrderPlaced(
                [Field(1), Key] string OrderId,
                [Field(2)] long AmountCents,
                [Field(3)] DateTimeOffset PlacedAt,
                [Field(4)] List<string> Tags,
                [Field(5)] Status Status,
                [Field(6)] Dictionary<string, int> Counts,
                [Field(7)] string Card,
                [Field(8)] string Voucher) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1), Key] string OrderId, [Field(2)] string Reason) : IOrderEvents;
        }
        """;

    private static ImmutableArray<AdditionalText> Baseline(string text = OrdersBaseline) =>
        InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/order_events.proto", text));

    [Fact]
    public Task UnchangedSchemaIsSilent() => AnalyzerRunner.VerifyAsync(Baseline(), [Current]);

    [Fact]
    public Task CompatibleChangesAreSilent() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            public enum Status { Unspecified = 0 }

            [KafkaMessage]
            public sealed partial record OrderPlaced(
                [Field(1), Key] string OrderId,
                [Field(2)] int AmountCents,
                [Field(3)] DateTime PlacedAt,
                [Field(4)] IReadOnlyList<string> Tags,
                [Field(5)] int Status,
                [Field(6)] IReadOnlyDictionary<string, long> Counts,
                [Field(7)] byte[] Card,
                [Field(8)] string Voucher,
                [Field(15)] string AddedLater) : IOrderEvents;

            [Reserved(2)]
            [Reserved("reason")]
            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1), Key] string OrderId) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderShipped([Field(1)] string OrderId) : IOrderEvents;
        }
        """]);

    [Fact]
    public Task IncompatibleTypeChanges() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record Money([Field(1)] long Units);

            [KafkaMessage]
            public sealed partial record OrderPlaced(
                [Field(1), Key] string OrderId,
                [Field(2, Encoding = IntegerEncoding.ZigZag)] long {|KT0301:AmountCents|},
                [Field(3)] TimeSpan {|KT0301:PlacedAt|},
                [Field(4)] string {|KT0301:Tags|},
                [Field(5)] string {|KT0301:Status|},
                [Field(6)] List<int> {|KT0301:Counts|},
                [Field(7)] Money {|KT0301:Card|},
                [Field(8)] double {|KT0301:Voucher|}) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1), Key] string OrderId, [Field(2)] string Reason) : IOrderEvents;
        }
        """]);

    [Fact]
    public async Task RemovedFieldWithoutReservation()
    {
        var diagnostics = await AnalyzerRunner.VerifyAsync(Baseline(), ["""
            namespace Shop.Orders
            {
                [Topic("orders")] public partial interface IOrderEvents { }

                [KafkaMessage]
                public sealed partial record {|KT0302:OrderCancelled|}([Field(1), Key] string OrderId) : IOrderEvents;

                [Reserved(2)]
                [KafkaMessage]
                public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(3)] DateTimeOffset PlacedAt, [Field(4)] List<string> Tags, [Field(5)] int Status, [Field(6)] Dictionary<string, int> Counts, [Field(7)] string Card, [Field(8)] string Voucher) : IOrderEvents;
            }
            """]);
        var removed = diagnostics.Single(d => d.Id == DiagnosticIds.RemovedFieldNotReserved);
        Assert.Equal("2", removed.Properties[DiagnosticProperties.RemovedNumber]);
        Assert.Equal("reason", removed.Properties[DiagnosticProperties.RemovedName]);
    }

    [Fact]
    public Task ReusedNumbersAndNames() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record OrderPlaced(
                [Field(1), Key] string OrderId,
                [Field(2)] long AmountCents,
                [Field(3)] DateTimeOffset PlacedAt,
                [Field(4)] List<string> Tags,
                [Field(5)] int Status,
                [Field(6)] Dictionary<string, int> Counts,
                [Field(7)] string Card,
                [Field(8)] string Voucher,
                [Field(13)] string {|KT0303:Coupon|},
                [Field(20)] string {|KT0303:LegacyCode|}) : IOrderEvents;

            [Reserved(1)]
            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(2)] string Reason, [Field(3)] string {|KT0303:OrderId|}) : IOrderEvents;
        }
        """]);

    [Fact]
    public Task RemovedSetMemberAndRenamedMessage() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface {|KT0304:IOrderEvents|} { }

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents, [Field(3)] DateTimeOffset PlacedAt, [Field(4)] List<string> Tags, [Field(5)] int Status, [Field(6)] Dictionary<string, int> Counts, [Field(7)] string Card, [Field(8)] string Voucher) : IOrderEvents;
        }
        """]);

    [Fact]
    public Task RenamedMessage() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents, [Field(3)] DateTimeOffset PlacedAt, [Field(4)] List<string> Tags, [Field(5)] int Status, [Field(6)] Dictionary<string, int> Counts, [Field(7)] string Card, [Field(8)] string Voucher) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record {|KT0306:OrderWithdrawn|}([Field(1), Key] string OrderId, [Field(2)] string Reason) : IOrderEvents;
        }
        """]);

    [Fact]
    public Task MessageMovedOutOfItsSet() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface {|KT0304:IOrderEvents|} { }
            [Topic("cancellations")] public partial interface ICancellations { }

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents, [Field(3)] DateTimeOffset PlacedAt, [Field(4)] List<string> Tags, [Field(5)] int Status, [Field(6)] Dictionary<string, int> Counts, [Field(7)] string Card, [Field(8)] string Voucher) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1), Key] string OrderId, [Field(2)] string Reason) : ICancellations;
        }
        """]);

    [Fact]
    public Task PackageChanged() => AnalyzerRunner.VerifyAsync(Baseline(), ["""
        [assembly: ProtoPackage("shop.sales")]

        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record {|KT0305:OrderPlaced|}([Field(1), Key] string OrderId, [Field(2)] long AmountCents, [Field(3)] DateTimeOffset PlacedAt, [Field(4)] List<string> Tags, [Field(5)] int Status, [Field(6)] Dictionary<string, int> Counts, [Field(7)] string Card, [Field(8)] string Voucher) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record {|KT0305:OrderCancelled|}([Field(1), Key] string OrderId, [Field(2)] string Reason) : IOrderEvents;
        }
        """]);

    [Fact]
    public async Task RemovedValueObjectPointsIntoTheBaselineFile()
    {
        var files = InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/money.proto", """
            syntax = "proto3";
            package shop.orders;
            message Money { int64 units = 1; }
            """));
        var compilation = TestCompilation.Create(TestCompilation.Usings + "namespace Shop.Orders { }");
        var result = await AnalyzerRunner.RunAsync(compilation, files);
        Assert.Empty(result.Exceptions);
        var diagnostic = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal(DiagnosticIds.SetMemberRemoved, diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("/repo/schemas/shop/orders/money.proto", span.Path);
        Assert.Equal(2, span.StartLinePosition.Line);
        Assert.Contains("shop.orders.Money", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableBaselineIsAWarningNotACrash()
    {
        var files = InMemoryAdditionalText.Files(("/repo/schemas/broken.proto", "syntax = \"proto3\"; message Broken { string = ; "));
        var compilation = TestCompilation.Create(TestCompilation.Usings + Current);
        var result = await AnalyzerRunner.RunAsync(compilation, files);
        Assert.Empty(result.Exceptions);
        var diagnostic = Assert.Single(result.AnalyzerDiagnostics);
        Assert.Equal(DiagnosticIds.BaselineUnreadable, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public Task UpdatingTheBaselineTurnsTheCheckOff() => AnalyzerRunner.VerifyAsync(
        Baseline(),
        ["""
        namespace Shop.Orders
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string OrderId) : IOrderEvents;
        }
        """],
        new Dictionary<string, string> { ["build_property.KafkaTypedUpdateSchemaBaseline"] = "true" });

    [Fact]
    public Task NoBaselineNoCheck() => AnalyzerRunner.VerifyAsync(ImmutableArray<AdditionalText>.Empty, ["""
        namespace Shop.Orders
        {
            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string OrderId);
        }
        """]);

    [Fact]
    public Task EnumFieldSwitchingToAnotherEnum() => AnalyzerRunner.VerifyAsync(
        InMemoryAdditionalText.Files(("/repo/schemas/shop/paint.proto", """
            syntax = "proto3";
            package shop;
            enum Color { COLOR_UNSPECIFIED = 0; RED = 1; }
            message Paint { Color color = 1; Color accent = 2; map<string, Color> palette = 3; }
            """)),
        ["""
        namespace Shop
        {
            public enum Color { Unspecified = 0, Red = 1 }
            public enum Shade { Unspecified = 0, Dark = 1 }

            [KafkaMessage]
            public sealed partial record Paint([Field(1)] Shade {|KT0301:Color|}, [Field(2)] int Accent, [Field(3)] Dictionary<string, Color> Palette);
        }
        """]);
}
