using KafkaTyped.Roslyn.Testing;

namespace KafkaTyped.Generators.Tests;

/// <summary>What <c>[Topic]</c> declares about producing reaches <c>AddKafkaTyped</c> as <c>TopicDeclaration</c>s.</summary>
public sealed class TopicProducerOptionsTests
{
    private const string Declared = """
        using KafkaTyped;

        namespace Shop
        {
            [Topic("clicks", Acks = TopicAcks.Leader, Partitioner = TopicPartitioner.Random)]
            public partial interface IClickEvents { }

            [Topic("audit", EnableIdempotence = true)]
            public partial interface IAuditEvents { }

            [Topic("plain")]
            public partial interface IPlainEvents { }

            [Topic("conflict", Acks = TopicAcks.None, EnableIdempotence = true)]
            public partial interface IConflictEvents { }

            [KafkaMessage] public sealed partial record Click([Field(1), Key] string Id) : IClickEvents;
            [KafkaMessage] public sealed partial record Audited([Field(1), Key] string Id) : IAuditEvents;
            [KafkaMessage] public sealed partial record Plain([Field(1), Key] string Id) : IPlainEvents;
            [KafkaMessage] public sealed partial record Conflicting([Field(1), Key] string Id) : IConflictEvents;
        }
        """;

    [Fact]
    public void Declared_options_are_registered_and_topics_without_or_with_invalid_options_are_not()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(Declared));
        Assert.Null(run.Result.Exception);
        string registration = run.Result.GeneratedSources
            .Single(s => s.HintName == "Microsoft.Extensions.DependencyInjection.TestAssemblyKafkaTypedServiceCollectionExtensions.g.cs").SourceText.ToString();

        Assert.Contains("new global::KafkaTyped.GeneratedCode.TopicDeclaration(", registration, StringComparison.Ordinal);
        Assert.Contains("\"clicks\", global::KafkaTyped.TopicAcks.Leader, global::KafkaTyped.TopicPartitioner.Random, null));", registration, StringComparison.Ordinal);
        Assert.Contains("\"audit\", global::KafkaTyped.TopicAcks.Default, global::KafkaTyped.TopicPartitioner.Default, true));", registration, StringComparison.Ordinal);
        Assert.DoesNotContain("\"plain\"", registration, StringComparison.Ordinal);

        // KT0114 reports the conflict; the generator stays silent rather than register what cannot start.
        Assert.DoesNotContain("\"conflict\"", registration, StringComparison.Ordinal);
        GeneratorTests.AssertCompiles(run);
        Steps.AssertAllCached(run.Rerun(run.Input.Clone()).Result);
        Steps.AssertNoRoslynObjects(run.Result);
    }
}
