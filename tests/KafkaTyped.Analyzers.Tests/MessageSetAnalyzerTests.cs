using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

public sealed class MessageSetAnalyzerTests
{
    // A source copy without the IMessage<T> constraint, for cases that must compile without the generator; the source type wins.
    private const string CacheBase = """
        namespace KafkaTyped.Cache
        {
            public abstract class ReplicatedCache<TKey, TValue> where TValue : class { }
        }
        """;

    [Fact]
    public Task ValidSetsAndCachesAreSilent() => AnalyzerRunner.VerifyValidAsync(
        """
        [Topic("orders", Partitions = 12, ReplicationFactor = 3)]
        public partial interface IOrderEvents { }

        [Topic("shop.payments-v1_x")]
        public partial interface IPaymentEvents { }

        [KafkaMessage]
        public sealed partial record OrderPlaced([Field(1), Key] string OrderId) : IOrderEvents;

        [KafkaMessage]
        public sealed partial record OrderCancelled([Field(1), Key] string OrderId) : IOrderEvents;

        [KafkaMessage]
        public sealed partial record Price([Field(1)] string Sku, [Field(2)] double Value);

        [ReplicatedCache("prices", Partitions = 3)]
        public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<string, Price> { }

        [Topic("orders", Partitions = 12, ReplicationFactor = 3)]
        public partial interface IOrderEventsAgain { }
        """,
        CacheBase);

    [Fact]
    public Task InvalidTopicNames() => AnalyzerRunner.VerifyAsync($$"""
        [Topic({|KT0101:""|})] public partial interface IA { }
        [Topic({|KT0101:"."|})] public partial interface IB { }
        [Topic({|KT0101:".."|})] public partial interface IC { }
        [Topic({|KT0101:"orders/eu"|})] public partial interface ID { }
        [Topic({|KT0101:"with space"|})] public partial interface IE { }
        [Topic({|KT0101:"{{new string('a', 250)}}"|})] public partial interface IF { }
        [Topic("{{new string('a', 249)}}")] public partial interface IG { }
        [ReplicatedCache({|KT0101:"bad topic"|})] public partial class Cache { }
        """);

    [Fact]
    public Task TopicDeclaredTwiceWithDifferentSettings() => AnalyzerRunner.VerifyAsync(
        """
        [Topic("orders", Partitions = 6)] public partial interface IA { }
        [{|KT0102:Topic("orders", Partitions = 12)|}] public partial interface IB { }
        [Topic("orders")] public partial interface IC { }
        """,
        """
        [{|KT0102:ReplicatedCache("orders")|}] public partial class OrdersCache { }
        """);

    [Fact]
    public Task InvalidPartitionsAndReplicationFactor() => AnalyzerRunner.VerifyAsync("""
        [Topic("a", Partitions = {|KT0103:0|})] public partial interface IA { }
        [Topic("b", ReplicationFactor = {|KT0104:0|})] public partial interface IB { }
        [Topic("c", ReplicationFactor = {|KT0104:-2|})] public partial interface IC { }
        [ReplicatedCache("d", Partitions = {|KT0103:-1|})] public partial class D { }
        [Topic("e", Partitions = 1, ReplicationFactor = -1)] public partial interface IE { }
        """);

    [Fact]
    public Task SetNotPartial() => GeneratorVerifier.VerifyDiagnosticsAsync("""
        [Topic("orders")] public interface {|KT0001:IOrderEvents|} { }
        [ReplicatedCache("prices")] public class {|KT0001:PriceCache|} { }
        """);

    /// <summary>
    /// A value that is no message violates ReplicatedCache's constraint (CS0311), which hides analyzer diagnostics from
    /// the command-line build: the generator reports KT0107, against the framework's base class and a look-alike.
    /// </summary>
    [Fact]
    public async Task CacheValueNotMessageIsTheGenerators()
    {
        await GeneratorVerifier.VerifyDiagnosticsAsync("""
            public sealed class Plain { }

            [ReplicatedCache("a")]
            public sealed partial class {|KT0107:PlainCache|} : KafkaTyped.Cache.ReplicatedCache<string, Plain>
            {
                public PlainCache() : base(null!) { }
            }

            [KafkaMessage]
            public sealed partial record Price([Field(1)] double Value);

            [ReplicatedCache("b")]
            public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<string, Price>;
            """);
        await GeneratorVerifier.VerifyDiagnosticsAsync("""
            public sealed class Plain { }

            [ReplicatedCache("a")]
            public sealed partial class {|KT0107:PlainCache|} : KafkaTyped.Cache.ReplicatedCache<string, Plain> { }
            """,
            CacheBase);
    }

    [Fact]
    public Task MessageInTwoSets() => AnalyzerRunner.VerifyAsync("""
        [Topic("orders")] public partial interface IOrderEvents { }
        [Topic("audit")] public partial interface IAuditEvents { }

        [KafkaMessage]
        public sealed partial record {|KT0105:OrderPlaced|}([Field(1)] string Id) : IOrderEvents, IAuditEvents;
        """);

    [Fact]
    public Task SetMemberNotMessage() => AnalyzerRunner.VerifyAsync("""
        [Topic("orders")] public partial interface IOrderEvents { }
        public sealed record {|KT0106:OrderPlaced|}(string Id) : IOrderEvents;
        """);

    [Fact]
    public Task CacheKeyWithoutEncoding() => AnalyzerRunner.VerifyAsync(
        """
        public sealed class Plain { }

        [KafkaMessage]
        public sealed partial record Price([Field(1)] double Value);

        [ReplicatedCache("a")]
        public sealed partial class PlainCache : KafkaTyped.Cache.ReplicatedCache<string, Plain> { }

        [ReplicatedCache("b")]
        public sealed partial class {|KT0108:DoubleKeyCache|} : KafkaTyped.Cache.ReplicatedCache<double, Price> { }
        """,
        CacheBase);

    [Fact]
    public Task CacheRulesAgainstTheFrameworkBaseType() => AnalyzerRunner.VerifyAsync("""
        public sealed class Plain { }

        [ReplicatedCache("a")]
        public sealed partial class PlainCache : KafkaTyped.Cache.ReplicatedCache<string, Plain>
        {
            public PlainCache() : base(null!) { }
        }

        [ReplicatedCache("b")]
        public sealed partial class {|KT0108:DecimalKeyCache|} : KafkaTyped.Cache.ReplicatedCache<decimal, Google.Protobuf.WellKnownTypes.Empty>
        {
            public DecimalKeyCache() : base(null!) { }
        }
        """);

    [Fact]
    public Task MessageAndSetInDifferentPackages() => AnalyzerRunner.VerifyAsync("""
        namespace Shop.Contracts
        {
            [Topic("orders")] public partial interface IOrderEvents { }

            [KafkaMessage]
            public sealed partial record OrderCancelled([Field(1)] string Id) : IOrderEvents;
        }

        namespace Shop.Contracts.Orders
        {
            [KafkaMessage]
            public sealed partial record {|KT0109:OrderPlaced|}([Field(1)] string Id) : Shop.Contracts.IOrderEvents;
        }
        """);

    [Fact]
    public Task SetFromAnotherAssembly() => AnalyzerRunner.VerifyWithReferencedProjectAsync(
        ["[Topic(\"orders\")] public partial interface IOrderEvents { }"],
        """
        [KafkaMessage]
        public sealed partial record {|KT0110:OrderPlaced|}([Field(1)] string Id) : IOrderEvents;
        """);

    [Fact]
    public Task SetMustBeTopLevelAndNonGeneric() => AnalyzerRunner.VerifyAsync("""
        public static partial class Outer
        {
            [Topic("orders")] public partial interface {|KT0111:IOrderEvents|} { }
        }

        [Topic("audit")] public partial interface {|KT0111:IAuditEvents|}<T> { }
        """);
}
