using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Generators.Tests;

/// <summary><c>IHandleBatch&lt;T&gt;</c>: the dispatcher's batch slots and batch switch, baselines, compilation, incrementality.</summary>
public sealed class BatchWiringTests
{
    /// <summary>One group handling one member in batches and another singly, on one topic.</summary>
    public const string BatchWiring = """
        using System.Threading;
        using System.Threading.Tasks;
        using KafkaTyped;

        namespace Shop.Ledger;

        [Topic("entries", Partitions = 3)]
        public partial interface ILedgerEvents;

        [KafkaMessage]
        public sealed partial record EntryPosted([Field(1), Key] string Account, [Field(2)] long Cents) : ILedgerEvents;

        [KafkaMessage]
        public sealed partial record AccountClosed([Field(1), Key] string Account) : ILedgerEvents;

        [KafkaMessage]
        public sealed partial record Audit([Field(1)] int Beat) : ILedgerEvents;

        [ConsumerGroup("ledger-writer")]
        public sealed partial class LedgerWriter : IHandleBatch<EntryPosted>, IHandle<AccountClosed>
        {
            public ValueTask HandleAsync(MessageBatch<EntryPosted> batch, CancellationToken cancellationToken) => default;

            public ValueTask HandleAsync(AccountClosed message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [ConsumerGroup("auditor")]
        internal sealed partial class Auditor : IHandleBatch<Audit>, IHandleBatch<AccountClosed>
        {
            ValueTask IHandleBatch<Audit>.HandleAsync(MessageBatch<Audit> batch, CancellationToken cancellationToken) => default;

            public ValueTask HandleAsync(MessageBatch<AccountClosed> batch, CancellationToken cancellationToken) => default;
        }
        """;

    private static string Source(GeneratorRun run, string hintName) =>
        run.Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    [Fact]
    public async Task Batch_wiring_baseline()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(BatchWiring));
        Assert.Null(run.Result.Exception);
        Baselines.Verify(run.Result);
        await GeneratorVerifier.VerifyBaselineAsync([BatchWiring]);
        GeneratorTests.AssertCompiles(run);
        Steps.AssertAllCached(run.Rerun(run.Input.Clone()).Result);
        Steps.AssertNoRoslynObjects(run.Result);
    }

    [Fact]
    public void Batch_members_get_slots_and_a_batch_switch_and_single_members_keep_their_call()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(BatchWiring));
        string writer = Source(run, "Shop.Ledger.LedgerWriterDispatcher.g.cs");
        Assert.Contains("public override int BatchHandlerCount => 1;", writer, StringComparison.Ordinal);
        Assert.Contains("case global::Shop.Ledger.LedgerEventsSet.EntryPostedIndex: return 0;", writer, StringComparison.Ordinal);
        Assert.Contains(".HandleAsync(ReadBatch(global::Shop.Ledger.EntryPosted.Parser, records, attempt), cancellationToken);", writer, StringComparison.Ordinal);
        Assert.Contains("global::KafkaTyped.IHandle<global::Shop.Ledger.AccountClosed> handler = ", writer, StringComparison.Ordinal);

        // A batch-handled record on the single-record path is a batch of one.
        Assert.Contains(".HandleAsync(BatchOfOne(Parse(global::Shop.Ledger.EntryPosted.Parser, payload, record), context), cancellationToken);", writer, StringComparison.Ordinal);
        Assert.DoesNotContain("IHandle<global::Shop.Ledger.EntryPosted>", writer, StringComparison.Ordinal);

        // Slots follow the dispatcher's member order (ordinal by type name): AccountClosed 0, Audit 1.
        string auditor = Source(run, "Shop.Ledger.AuditorDispatcher.g.cs");
        Assert.Contains("internal sealed partial class AuditorDispatcher", auditor, StringComparison.Ordinal);
        Assert.Contains("public override int BatchHandlerCount => 2;", auditor, StringComparison.Ordinal);
        Assert.Contains("case global::Shop.Ledger.LedgerEventsSet.AccountClosedIndex: return 0;", auditor, StringComparison.Ordinal);
        Assert.Contains("case global::Shop.Ledger.LedgerEventsSet.AuditIndex: return 1;", auditor, StringComparison.Ordinal);
        Assert.DoesNotContain("EntryPostedIndex", auditor, StringComparison.Ordinal);
        string registration = Source(run, "Microsoft.Extensions.DependencyInjection.TestAssemblyKafkaTypedServiceCollectionExtensions.g.cs");
        Assert.Contains("TryAddScoped<global::Shop.Ledger.Auditor>(services);", registration, StringComparison.Ordinal);
        Assert.Contains("AddKafkaTypedConsumer<global::Shop.Ledger.AuditorDispatcher>(services);", registration, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_without_batch_handlers_gets_no_batch_members()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(Sources.Wiring));
        string dispatcher = Source(run, "Shop.Billing.LedgerDispatcher.g.cs");
        Assert.DoesNotContain("Batch", dispatcher, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("handled singly and in batches", "[Topic(\"t\")] public partial interface IT; [KafkaMessage] public sealed partial record M([Field(1)] int A) : IT; [ConsumerGroup(\"g\")] public sealed partial class Bad : IHandle<M>, IHandleBatch<M> { public ValueTask HandleAsync(M m, MessageContext c, CancellationToken t) => default; public ValueTask HandleAsync(MessageBatch<M> b, CancellationToken t) => default; }")]
    [InlineData("batch of a non-member", "[KafkaMessage] public sealed partial record Loose([Field(1)] int A); [ConsumerGroup(\"g\")] public sealed partial class Bad : IHandleBatch<Loose> { public ValueTask HandleAsync(MessageBatch<Loose> b, CancellationToken t) => default; }")]
    [InlineData("batch of a non-message", "public sealed class Plain { } [ConsumerGroup(\"g\")] public sealed partial class Bad : IHandleBatch<Plain> { public ValueTask HandleAsync(MessageBatch<Plain> b, CancellationToken t) => default; }")]
    [InlineData("batch of cache operations", "[KafkaMessage] public sealed partial record P([Field(1)] int A); [ReplicatedCache(\"p\")] public sealed partial class Prices : KafkaTyped.Cache.ReplicatedCache<string, P>; [ConsumerGroup(\"g\")] public sealed partial class Bad : IHandleBatch<Prices.Added> { public ValueTask HandleAsync(MessageBatch<Prices.Added> b, CancellationToken t) => default; }")]
    [InlineData("batch of an invalid member", "[Topic(\"t\")] public partial interface IT; [KafkaMessage] public sealed partial record M([Field(0)] int A) : IT; [ConsumerGroup(\"g\")] public sealed partial class Bad : IHandleBatch<M> { public ValueTask HandleAsync(MessageBatch<M> b, CancellationToken t) => default; }")]
    public void Emits_no_dispatcher_for_invalid_batch_wiring(string why, string declaration)
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create("using System.Threading;\nusing System.Threading.Tasks;\nusing KafkaTyped;\nnamespace N;\n" + declaration));
        Assert.Null(run.Result.Exception);
        Assert.False(run.Result.GeneratedSources.Any(s => s.HintName.StartsWith("N.BadDispatcher", StringComparison.Ordinal)), why);
        Assert.DoesNotContain(run.Result.GeneratedSources, s => s.SourceText.ToString().Contains("N.Bad>", StringComparison.Ordinal));
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }

    [Fact]
    public void Turning_a_single_handler_into_a_batch_handler_modifies_the_group_model()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(BatchWiring));
        string edited = BatchWiring
            .Replace("IHandleBatch<EntryPosted>, IHandle<AccountClosed>", "IHandleBatch<EntryPosted>, IHandleBatch<AccountClosed>", StringComparison.Ordinal)
            .Replace("public ValueTask HandleAsync(AccountClosed message, MessageContext context, CancellationToken cancellationToken) => default;", "public ValueTask HandleAsync(MessageBatch<AccountClosed> batch, CancellationToken cancellationToken) => default;", StringComparison.Ordinal);
        Compilation input = first.Input.ReplaceSyntaxTree(first.Input.SyntaxTrees.First(), CSharpSyntaxTree.ParseText(edited, TestCompilation.ParseOptions, path: first.Input.SyntaxTrees.First().FilePath));
        GeneratorRun second = first.Rerun(input);
        Assert.Contains(IncrementalStepRunReason.Modified, Steps.Reasons(second.Result, TrackingNames.ConsumerGroupModel));
        Assert.Contains("public override int BatchHandlerCount => 2;", Source(second, "Shop.Ledger.LedgerWriterDispatcher.g.cs"), StringComparison.Ordinal);
        GeneratorTests.AssertCompiles(second);
    }
}
