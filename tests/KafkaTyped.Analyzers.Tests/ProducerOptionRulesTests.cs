using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>KT0114 (idempotence needs acks=all) and KT0115 (undefined acks or partitioner values) on <c>[Topic]</c>.</summary>
public sealed class ProducerOptionRulesTests
{
    [Fact]
    public Task ValidProducerOptionsAreSilent() => AnalyzerRunner.VerifyValidAsync(
        """
        [Topic("a", Acks = TopicAcks.Leader, Partitioner = TopicPartitioner.ConsistentRandom)]
        public partial interface IA { }

        [Topic("b", Acks = TopicAcks.All, EnableIdempotence = true, Partitioner = TopicPartitioner.Random)]
        public partial interface IB { }

        [Topic("c", Acks = TopicAcks.None, EnableIdempotence = false)]
        public partial interface IC { }

        [Topic("d", EnableIdempotence = true)]
        public partial interface ID { }

        [KafkaMessage] public sealed partial record A1([Field(1), Key] string Id) : IA;
        [KafkaMessage] public sealed partial record B1([Field(1), Key] string Id) : IB;
        [KafkaMessage] public sealed partial record C1([Field(1), Key] string Id) : IC;
        [KafkaMessage] public sealed partial record D1([Field(1), Key] string Id) : ID;
        """);

    [Fact]
    public Task IdempotenceWithFewerAcknowledgements() => AnalyzerRunner.VerifyAsync("""
        [Topic("a", Acks = TopicAcks.Leader, EnableIdempotence = {|KT0114:true|})] public partial interface IA { }
        [Topic("b", EnableIdempotence = {|KT0114:true|}, Acks = TopicAcks.None)] public partial interface IB { }
        """);

    [Fact]
    public Task UndefinedValues() => AnalyzerRunner.VerifyAsync("""
        [Topic("a", Acks = {|KT0115:(TopicAcks)7|})] public partial interface IA { }
        [Topic("b", Partitioner = {|KT0115:(TopicPartitioner)(-1)|})] public partial interface IB { }
        """);
}
