using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Generators.Tests;

/// <summary>
/// A replicated cache's generated operation messages (<c>PriceCache.Added</c>, ...) and ordinary handlers of them: the
/// generator parses <c>IHandle&lt;PriceCache.Added&gt;</c> before the type exists (Roslyn binds it to an error type nested
/// in the cache class) and dispatches it like any member.
/// </summary>
public sealed class CacheOperationsTests
{
    private static Compilation Replace(Compilation c, int index, string text) =>
        c.ReplaceSyntaxTree(c.SyntaxTrees.ElementAt(index), CSharpSyntaxTree.ParseText(text, TestCompilation.ParseOptions, path: c.SyntaxTrees.ElementAt(index).FilePath));

    private static string Source(GeneratorRun run, string hintName) =>
        run.Result.GeneratedSources.Single(s => s.HintName == hintName).SourceText.ToString();

    [Fact]
    public async Task Cache_operations_baseline()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations));
        Assert.Null(run.Result.Exception);
        Baselines.Verify(run.Result);
        await GeneratorVerifier.VerifyBaselineAsync([Sources.CacheOperations]);
        GeneratorTests.AssertCompiles(run);
        Steps.AssertAllCached(run.Rerun(run.Input.Clone()).Result);
        Steps.AssertNoRoslynObjects(run.Result);
    }

    [Fact]
    public void In_the_generators_view_the_handled_operation_is_an_error_type_nested_in_the_cache()
    {
        // The fact the parsing relies on; if a Roslyn version changed it, handlers of operations would stop compiling.
        Compilation compilation = TestCompilation.Create(Sources.CacheOperations);
        INamedTypeSymbol audit = compilation.GetTypeByMetadataName("Shop.Catalog.PriceAudit")!;
        ITypeSymbol added = audit.Interfaces.First().TypeArguments[0];
        Assert.Equal(TypeKind.Error, added.TypeKind);
        Assert.Equal("Added", added.Name);
        Assert.Equal("Shop.Catalog.PriceCache", added.ContainingSymbol.ToDisplayString());
    }

    [Fact]
    public void The_dispatcher_reads_operations_with_their_key_and_skips_cache_tombstones()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations));
        string dispatcher = Source(run, "Shop.Catalog.PriceAuditDispatcher.g.cs");
        Assert.Contains("global::Shop.Catalog.PriceCache.Operations.Instance,", dispatcher, StringComparison.Ordinal);
        Assert.Contains("global::Shop.Catalog.CatalogEventsSet.Instance,", dispatcher, StringComparison.Ordinal);
        Assert.Contains("case global::Shop.Catalog.PriceCache.Operations.DeletedIndex:", dispatcher, StringComparison.Ordinal);
        Assert.Contains("global::Shop.Catalog.PriceCache.Added message = global::Shop.Catalog.PriceCache.Added.ReadRecord(payload, record);", dispatcher, StringComparison.Ordinal);
        Assert.Contains("global::Shop.Catalog.SkuRetired message = Parse(global::Shop.Catalog.SkuRetired.Parser, payload, record);", dispatcher, StringComparison.Ordinal);

        // Only the cache's topic has tombstones to skip; the set's topic keeps rejecting null values.
        int topicIndex = dispatcher.IndexOf("global::Shop.Catalog.PriceCache.Operations.Instance,", StringComparison.Ordinal) < dispatcher.IndexOf("global::Shop.Catalog.CatalogEventsSet.Instance,", StringComparison.Ordinal) ? 1 : 0;
        Assert.Contains($"if (string.Equals(record.Topic, __topics[{1 - topicIndex}].Topic, global::System.StringComparison.Ordinal)) {{ return default; }}", dispatcher, StringComparison.Ordinal);
        Assert.DoesNotContain($"__topics[{topicIndex}].Topic", dispatcher, StringComparison.Ordinal);

        string registration = Source(run, "Microsoft.Extensions.DependencyInjection.TestAssemblyKafkaTypedServiceCollectionExtensions.g.cs");
        Assert.Contains("AddKafkaTypedConsumer<global::Shop.Catalog.PriceAuditDispatcher>(services);", registration, StringComparison.Ordinal);
        Assert.Contains("AddKafkaTypedConsumer<global::Shop.Catalog.StockDeletionsDispatcher>(services);", registration, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operations_keep_the_runtime_schema_name_and_package()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations));
        string cache = Source(run, "Shop.Catalog.PriceCache.g.cs");
        Assert.Contains("\"shop/catalog/price_cache.proto\",", cache, StringComparison.Ordinal);
        Assert.Contains("\"shop.catalog.price_cache.Deleted\",", cache, StringComparison.Ordinal);
        Assert.Contains("public sealed partial record Added : global::Google.Protobuf.IMessage<global::Shop.Catalog.PriceCache.Added>", cache, StringComparison.Ordinal);
        Assert.Contains("public string Key { get => __key; init => __key = value; }", cache, StringComparison.Ordinal);
        Assert.Contains("public long Key { get => __key; init => __key = value; }", Source(run, "Shop.Catalog.StockCache.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_operations_set_gives_each_operations_parser_by_message_index()
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations));
        GeneratorTests.AssertCompiles(run);
        GeneratorTests.WithLoaded(run, assembly =>
        {
            var operations = (KafkaTyped.GeneratedCode.MessageSetDefinition)assembly.GetType("Shop.Catalog.PriceCache+Operations")!.GetField("Instance")!.GetValue(null)!;
            Assert.Equal(["Added", "Updated", "Deleted"], Enumerable.Range(0, 3).Select(i => operations.ParserOf(i)!.ParseFrom(ReadOnlySpan<byte>.Empty).GetType().Name));
            Assert.Equal(operations.MessageNames, Enumerable.Range(0, 3).Select(i => operations.ParserOf(i)!.ParseFrom(ReadOnlySpan<byte>.Empty).Descriptor.FullName));
            Assert.Null(operations.ParserOf(3));
        });
    }

    [Theory]
    [InlineData("Nope", "n.PriceCache")]
    [InlineData("Operations", "n.PriceCache")]
    [InlineData("Added", "n.NotACache")]
    public void Unknown_operations_get_no_dispatcher(string operation, string owner)
    {
        string source = $$"""
            using System.Threading;
            using System.Threading.Tasks;
            using KafkaTyped;
            using KafkaTyped.Cache;
            namespace N;
            [KafkaMessage] public sealed partial record P([Field(1)] int A);
            [ReplicatedCache("p")] public sealed partial class PriceCache : ReplicatedCache<string, P>;
            public sealed class NotACache { }
            [ConsumerGroup("g")] public sealed partial class Bad : IHandle<{{owner.Substring(2)}}.{{operation}}>
            {
                public ValueTask HandleAsync({{owner.Substring(2)}}.{{operation}} m, MessageContext c, CancellationToken t) => default;
            }
            """;
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(source));
        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Result.GeneratedSources, s => s.HintName.StartsWith("N.BadDispatcher", StringComparison.Ordinal));
        Assert.DoesNotContain(run.Result.GeneratedSources, s => s.SourceText.ToString().Contains("N.Bad", StringComparison.Ordinal));
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "CS8784" or "CS8785");
        Assert.Contains(run.Result.GeneratedSources, s => s.HintName == "N.PriceCache.g.cs");
    }

    [Theory]
    [InlineData("cache not partial", "[ReplicatedCache(\"p\")] public sealed class PriceCache : ReplicatedCache<string, P> { public PriceCache() : base(null!) { } }")]
    [InlineData("cache key type", "[ReplicatedCache(\"p\")] public sealed partial class PriceCache : ReplicatedCache<double, P>;")]
    [InlineData("cache declares Added", "[ReplicatedCache(\"p\")] public sealed partial class PriceCache : ReplicatedCache<string, P> { public sealed class Added { } }")]
    [InlineData("cache declares TopicName", "[ReplicatedCache(\"p\")] public sealed partial class PriceCache : ReplicatedCache<string, P> { public const string TopicName = \"x\"; }")]
    public void Operations_of_an_invalid_cache_get_neither_messages_nor_a_dispatcher(string why, string cache)
    {
        string source = $$"""
            using System.Threading;
            using System.Threading.Tasks;
            using KafkaTyped;
            using KafkaTyped.Cache;
            namespace N;
            [KafkaMessage] public sealed partial record P([Field(1)] int A);
            {{cache}}
            [ConsumerGroup("g")] public sealed partial class Bad : IHandle<PriceCache.Added>
            {
                public ValueTask HandleAsync(PriceCache.Added m, MessageContext c, CancellationToken t) => default;
            }
            """;
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(source));
        Assert.Null(run.Result.Exception);
        Assert.False(run.Result.GeneratedSources.Any(s => s.HintName.StartsWith("N.PriceCache", StringComparison.Ordinal) || s.HintName.StartsWith("N.Bad", StringComparison.Ordinal)), why);
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }

    [Fact]
    public void Handler_body_edit_leaves_the_models_unchanged()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations, Sources.Unrelated));
        GeneratorRun second = first.Rerun(Replace(first.Input, 0, Sources.CacheOperations.Replace(
            "HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;",
            "HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;",
            StringComparison.Ordinal)));
        Assert.All(Steps.Reasons(second.Result, TrackingNames.ConsumerGroupModel), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(Steps.Reasons(second.Result, TrackingNames.CacheModel), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Steps.AssertAllCached(second.Result);
    }

    [Fact]
    public void Unrelated_file_edit_leaves_everything_cached()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations, Sources.Unrelated));
        GeneratorRun second = first.Rerun(Replace(first.Input, 1, Sources.Unrelated.Replace("Value", "Amount", StringComparison.Ordinal)));
        Steps.AssertAllCached(second.Result);
    }

    [Fact]
    public void Handling_one_more_operation_modifies_only_that_group()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations));
        GeneratorRun second = first.Rerun(Replace(first.Input, 0, Sources.CacheOperations
            .Replace("IHandle<StockCache.Deleted>", "IHandle<StockCache.Deleted>, IHandle<StockCache.Added>", StringComparison.Ordinal)
            .Replace("public ValueTask HandleAsync(StockCache.Deleted", "public ValueTask HandleAsync(StockCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;\n    public ValueTask HandleAsync(StockCache.Deleted", StringComparison.Ordinal)));
        var reasons = Steps.Reasons(second.Result, TrackingNames.ConsumerGroupModel).ToList();
        Assert.Single(reasons, IncrementalStepRunReason.Modified);
        Assert.Single(reasons, IncrementalStepRunReason.Unchanged);
        Assert.All(Steps.Reasons(second.Result, TrackingNames.CacheModel), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.Contains("case global::Shop.Catalog.StockCache.Operations.AddedIndex:", Source(second, "Shop.Catalog.StockDeletionsDispatcher.g.cs"), StringComparison.Ordinal);
        GeneratorTests.AssertCompiles(second);
    }

    [Fact]
    public void Value_edit_modifies_the_cache_and_the_schema_follows()
    {
        GeneratorRun first = GeneratorRun.Start(TestCompilation.Create(Sources.CacheOperations));
        GeneratorRun second = first.Rerun(Replace(first.Input, 0, Sources.CacheOperations.Replace("[KafkaMessage]\npublic sealed partial record Price(", "[KafkaMessage(Name = \"Quote\")]\npublic sealed partial record Price(", StringComparison.Ordinal)));
        Assert.Contains(IncrementalStepRunReason.Modified, Steps.Reasons(second.Result, TrackingNames.CacheModel));
        Assert.Contains("shop.catalog.Quote value = 1;", Source(second, "Shop.Catalog.PriceCache.g.cs"), StringComparison.Ordinal);
        GeneratorTests.AssertCompiles(second);
    }

    [Fact]
    public void Operations_of_a_cache_in_a_referenced_assembly_are_dispatched_too()
    {
        // An audit service that references the assembly declaring the cache: the operation types are real there.
        GeneratorRun library = GeneratorRun.Start(TestCompilation.Create("""
            using KafkaTyped;
            using KafkaTyped.Cache;
            namespace Shop.Prices;
            [KafkaMessage] public sealed partial record Price([Field(1)] long Cents);
            [ReplicatedCache("prices")] public sealed partial class PriceCache : ReplicatedCache<System.Guid, Price>;
            """).WithAssemblyName("Shop.Prices"));
        GeneratorTests.AssertCompiles(library);
        using var image = new MemoryStream();
        Assert.True(library.Output.Emit(image).Success);

        Compilation app = TestCompilation.Create("""
            using System.Threading;
            using System.Threading.Tasks;
            using KafkaTyped;
            using Shop.Prices;
            namespace Shop.Audit;
            [ConsumerGroup("audit")]
            public sealed partial class PriceAudit : IHandle<PriceCache.Deleted>
            {
                public ValueTask HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        GeneratorRun run = GeneratorRun.Start(app);
        string dispatcher = Source(run, "Shop.Audit.PriceAuditDispatcher.g.cs");
        Assert.Contains("case global::Shop.Prices.PriceCache.Operations.DeletedIndex:", dispatcher, StringComparison.Ordinal);
        Assert.Contains("global::Shop.Prices.PriceCache.Deleted.ReadRecord(payload, record)", dispatcher, StringComparison.Ordinal);
        GeneratorTests.AssertCompiles(run);
    }

    [Theory]
    [InlineData("PriceCache", "price_cache")]
    [InlineData("HTTPCache", "http_cache")]
    [InlineData("Line2Cache", "line2_cache")]
    [InlineData("_Odd", "cache___odd")]
    [InlineData("Préis", "pr_is")]
    public void Snake_case_matches_the_runtime_rule(string name, string expected) =>
        Assert.Equal(expected, KafkaTyped.Roslyn.Model.CacheOperationNames.Snake(name));
}
