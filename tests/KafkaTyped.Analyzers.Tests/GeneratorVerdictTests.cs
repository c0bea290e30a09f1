using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// KT0019 and KT0112: what the generator's own parser rejects and no specific rule explains is still reported, so the
/// generator never skips a [KafkaMessage] or [Topic] silently.
/// </summary>
public sealed class GeneratorVerdictTests
{
    [Fact]
    public Task MemberTakingAGeneratedNameIsReported() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record {|KT0019:Order|}([Field(1)] string Id)
        {
            public static string Parser => "mine";
        }
        """);

    [Fact]
    public Task MemberTakingAPerFieldGeneratedNameIsReported() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record {|KT0019:Order|}([Field(1)] int? Total)
        {
            public bool HasTotal => Total is not null;
        }
        """);

    [Fact]
    public Task KeyOnAnUnnumberedComputedPropertyIsReported() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record {|KT0019:Order|}([Field(1)] string Id)
        {
            [Key] public string Upper => Id.ToUpperInvariant();
        }
        """);

    [Fact]
    public Task FieldOnAStaticPropertyIsReported() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record {|KT0019:Order|}([Field(1)] string Id)
        {
            [Field(2)] public static string Region { get; set; } = "";
        }
        """);

    [Fact]
    public Task TwoEnumsWithOneNameInOneMessageAreReported() => AnalyzerRunner.VerifyAsync("""
        namespace A { public enum State { None = 0, Open = 1 } }
        namespace B { public enum State { None = 0, Closed = 1 } }

        [KafkaMessage]
        public sealed partial record {|KT0019:Order|}([Field(1)] A.State Before, [Field(2)] B.State After);
        """);

    [Fact]
    public async Task ReportListsTheGeneratorsReasons()
    {
        var diagnostics = await AnalyzerRunner.VerifyAsync("""
            [KafkaMessage]
            public sealed partial record {|KT0019:Order|}([Field(1)] string Id)
            {
                public static string Descriptor => "mine";
            }
            """);
        var message = Assert.Single(diagnostics).GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("'Order'", message, StringComparison.Ordinal);
        Assert.Contains("'Descriptor' is generated on every message", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task SetWithAnInvalidPackageIsReported() => AnalyzerRunner.VerifyAsync("""
        namespace Café
        {
            [Topic("orders")]
            public partial interface {|KT0112:IOrderEvents|} { }
        }
        """);

    [Fact]
    public Task SpecificRuleWinsOverTheCatchAll() => AnalyzerRunner.VerifyAsync("""
        [Topic("a b")]
        public partial interface IEvents { }

        [KafkaMessage]
        public sealed partial record Order([Field({|KT0006:0|})] string Id)
        {
            public static string Parser => "mine";
        }
        """.Replace("[Topic(\"a b\")]", "[Topic({|KT0101:\"a b\"|})]", StringComparison.Ordinal));

    [Fact]
    public Task UnresolvedTypesAreLeftToTheCompiler() => AnalyzerRunner.VerifyAsync("""
        [KafkaMessage]
        public sealed partial record Order([Field(1)] NoSuchType Value);
        """);

    [Fact]
    public Task ValidMessagesAndSetsStaySilent() => AnalyzerRunner.VerifyValidAsync("""
        namespace Shop
        {
            [Topic("orders")]
            public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record Order([Field(1), Key] string Id, [Field(2)] int? Total) : IOrderEvents
            {
                public string Display => Id + Total;
                public static string ParserName => "not a generated name";
            }
        }
        """);
}
