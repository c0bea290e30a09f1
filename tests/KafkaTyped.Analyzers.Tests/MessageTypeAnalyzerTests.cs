using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

public sealed class MessageTypeAnalyzerTests
{
    [Fact]
    public Task ValidMessagesAreSilent() => AnalyzerRunner.VerifyValidAsync("""
        public enum Status { Unknown = 0, Open = 1 }

        [KafkaMessage]
        public sealed partial record Money([Field(1)] string Currency, [Field(2)] long Units);

        [Reserved(4, 5)]
        [Reserved("old_name")]
        [KafkaMessage]
        public sealed partial record Order(
            [Field(1), Key] string OrderId,
            [Field(2)] long AmountCents,
            [Field(3)] DateTimeOffset PlacedAt,
            [Field(6)] Status Status,
            [Field(7)] Money Total,
            [Field(8)] List<string> Tags,
            [Field(9)] IReadOnlyDictionary<string, Money> Lines,
            [Field(10)] byte[] Blob,
            [Field(11)] int? Optional,
            [Field(12, Encoding = IntegerEncoding.ZigZag)] int Delta)
        {
            [Field(13)] public Guid Id { get; init; }
            [Field(14)] public string? Note { get; init; }
            public string Display => OrderId + " " + AmountCents;
        }

        [KafkaMessage]
        public sealed partial record ExplicitProperty([Field(1), Key] string Id)
        {
            public string Id { get; init; } = Id;
        }

        [KafkaMessage]
        public partial record PropertyStyle
        {
            [Field(1)] public decimal Price { get; set; }
            [Field(2)] public TimeSpan Ttl { get; init; }
            [Field(3)] public ReadOnlyMemory<byte> Raw { get; set; }
            [Field(4)] public string Fixed { get; } = "";
            [Field(5)] public PropertyStyle? Parent { get; init; }
            [Field(6, Encoding = IntegerEncoding.Fixed)] public uint Checksum { get; init; }
            [Field(7)] public List<PropertyStyle> Children { get; init; } = new();
            [Field(536870911)] public double Max { get; set; }
        }

        public enum Small : byte { None = 0, One = 1 }

        [KafkaMessage]
        public sealed partial record WithSmallEnum([Field(1)] Small Size);
        """);

    [Fact]
    public Task NotPartial() => GeneratorVerifier.VerifyDiagnosticsAsync("""
        [KafkaMessage]
        public sealed record {|KT0001:Order|}([Field(1)] string Id);
        """);

    [Fact]
    public Task NotAClassOrRecord() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public abstract partial record {|KT0002:Base|}([Field(1)] string Id);

        [KafkaMessage]
        public sealed partial record {|KT0002:Generic|}<T>([Field(1)] string Id);

        [KafkaMessage]
        public static partial class {|KT0002:Static|} { }

        [KafkaMessage]
        public sealed partial class {|KT0002:PlainClass|}
        {
            [Field(1)] public string Id { get; set; } = "";
        }

        public static partial class Outer
        {
            [KafkaMessage]
            public sealed partial record {|KT0002:Nested|}([Field(1)] string Name);
        }
        """);

    [Fact]
    public Task ContainingTypeNotPartial() => AnalyzerRunner.VerifyAsync("""
        public static class Outer
        {
            [ConsumerGroup("billing")]
            public sealed partial class {|KT0003:Billing|} { }

            [ReplicatedCache("prices")]
            public sealed partial class {|KT0003:PriceCache|} { }
        }
        """);

    [Fact]
    public async Task MissingFieldNumberCarriesTheAssignment()
    {
        var diagnostics = await AnalyzerRunner.VerifyAsync("""
            [Reserved(3)]
            [KafkaMessage]
            public sealed partial record Order([Field(1)] string Id, long {|KT0004:Amount|}, [Field(2)] string Note)
            {
                public string {|KT0004:Extra|} { get; init; } = "";
                public string Computed => Id;
            }
            """);
        var numbers = diagnostics.Where(d => d.Id == DiagnosticIds.MissingFieldNumber)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => d.Properties[DiagnosticProperties.FieldNumber])
            .ToArray();
        Assert.Equal(new[] { "4", "5" }, numbers);
        Assert.All(diagnostics, d => Assert.Equal("Amount=4;Extra=5", d.Properties[DiagnosticProperties.TypeFieldNumbers]));
    }

    [Fact]
    public Task DuplicateFieldNumber() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id, [Field({|KT0005:1|})] long Amount);
        """);

    [Fact]
    public Task FieldNumberOutOfRange() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order(
            [Field({|KT0006:0|})] string A,
            [Field({|KT0006:-3|})] string B,
            [Field({|KT0006:19000|})] string C,
            [Field({|KT0006:19999|})] string D,
            [Field({|KT0006:536870912|})] string E,
            [Field(18999)] string F,
            [Field(20000)] string G);
        """);

    [Fact]
    public Task ReservedNumberAndName() => AnalyzerRunner.VerifyAsync("""
        [Reserved(2, 7)]
        [Reserved("order_note")]
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id, [Field({|KT0007:7|})] long Amount, [Field(3)] string {|KT0008:OrderNote|});
        """);

    [Fact]
    public Task UnsupportedTypes() => AnalyzerRunner.VerifyAsync("""
        public sealed class NotAMessage { }

        [KafkaMessage]
        public sealed partial record Order(
            [Field(1)] char {|KT0009:Initial|},
            [Field(2)] short {|KT0009:Small|},
            [Field(3)] object {|KT0009:Anything|},
            [Field(4)] NotAMessage {|KT0009:Other|},
            [Field(5)] HashSet<string> {|KT0009:Set|},
            [Field(6)] List<List<int>> {|KT0009:Nested|},
            [Field(7)] Dictionary<double, string> {|KT0009:BadKey|},
            [Field(8)] DateOnly {|KT0009:Day|},
            [Field(9)] int[,] {|KT0009:Grid|},
            [Field(10)] List<int?> {|KT0009:NullableItems|});
        """);

    [Fact]
    public async Task UnsupportedTypeSaysWhatToUse()
    {
        var diagnostics = await AnalyzerRunner.VerifyAsync("""
            [KafkaMessage]
            public sealed partial record Order([Field(1)] char {|KT0009:Initial|});
            """);
        Assert.Contains("use string", diagnostics.Single().GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnumWithoutZero()
    {
        var diagnostics = await AnalyzerRunner.VerifyAsync("""
            public enum Status { Open = 1, Closed = 2, Unspecified = 3 }

            [KafkaMessage]
            public sealed partial record Order([Field(1)] Status {|KT0010:Status|}, [Field(2)] List<Status> {|KT0010:History|});
            """);
        Assert.All(diagnostics, d => Assert.Equal("Unknown", d.Properties[DiagnosticProperties.ZeroMemberName]));
    }

    [Fact]
    public Task MultipleKeys() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order([Field(1), Key] string Id, [Field(2), {|KT0011:Key|}] string Other);
        """);

    [Fact]
    public Task KeyWithoutEncoding() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order([Field(1), Key] double {|KT0012:Id|});

        [KafkaMessage]
        public sealed partial record WithGuid([Field(1), Key] Guid Id);

        [KafkaMessage]
        public sealed partial record WithLong([Field(1)] string Name)
        {
            [Field(2), Key] public long Id { get; init; }
        }
        """);

    [Fact]
    public Task DuplicateProtobufFieldName() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string OrderId, [Field(2)] string {|KT0013:Order_Id|}, [Field(3)] string Other);
        """);

    [Fact]
    public Task InvalidMessageName() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage(Name = {|KT0014:"Order Placed"|})]
        public sealed partial record OrderPlaced([Field(1)] string Id);

        [KafkaMessage(Name = "OrderPlacedV2")]
        public sealed partial record OrderPlaced2([Field(1)] string Id);
        """);

    [Fact]
    public Task InvalidPackage() => AnalyzerRunner.VerifyAsync("""
        namespace Shöp.Orders
        {
            [KafkaMessage]
            public sealed partial record {|KT0015:OrderPlaced|}([Field(1)] string Id);
        }
        """);

    [Fact]
    public Task PackageFromTheAssemblyAttributeWins() => AnalyzerRunner.VerifyAsync("""
        [assembly: ProtoPackage("shop.orders")]

        namespace Shöp.Orders
        {
            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1)] string Id);
        }
        """);

    [Fact]
    public Task MessageInheritance() => AnalyzerRunner.VerifyAsync("""
        public abstract record Envelope;

        [KafkaMessage]
        public sealed partial record {|KT0016:OrderPlaced|}([Field(1)] string Id) : Envelope;
        """);

    [Fact]
    public Task FieldNotAssignable() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order([Field(1)] string Id)
        {
            [Field(2)] public string {|KT0017:Display|} => Id.ToUpperInvariant();
            [Field(3)] public string Stored { get; } = "";
            private long _count;
            [Field(4)] public long {|KT0017:Count|} { get => _count; init => _count = value; }
            private long _total;
            [Field(5)] public long Total { get => _total; set => _total = value; }
        }
        """);

    [Fact]
    public Task EnumNotMappable() => AnalyzerRunner.VerifyAsync("""
        public enum Wide : long { None = 0, Big = 1 }
        public enum Aliased { None = 0, Open = 1, Opened = 1 }

        [KafkaMessage]
        public sealed partial record Order([Field(1)] Wide {|KT0018:Size|}, [Field(2)] List<Aliased> {|KT0018:States|});
        """);

    [Fact]
    public Task MoreUnsupportedShapes() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Node(
            [Field(1)] Node {|KT0009:Next|},
            [Field(2)] List<string?> {|KT0009:Labels|},
            [Field(3)] Dictionary<string, Node?> {|KT0009:Children|},
            [Field(4, Encoding = IntegerEncoding.ZigZag)] uint {|KT0009:Count|},
            [Field(5)] Node? Parent,
            [Field(6, Encoding = IntegerEncoding.ZigZag)] long Delta);
        """);

    [Fact]
    public Task TypesWithoutKafkaTypedAreIgnored() => AnalyzerRunner.VerifyAsync("""
        public sealed record Order(string Id, char C, object O);
        """);
}
