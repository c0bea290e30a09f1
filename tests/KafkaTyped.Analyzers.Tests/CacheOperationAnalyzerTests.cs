using KafkaTyped.Roslyn.Testing;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// Handlers of a replicated cache's generated operations (<c>IHandle&lt;PriceCache.Added&gt;</c>): silent when the
/// operation exists (the analyzers see the generator's output), KT0208 when it does not, KT0113 for clashing members.
/// </summary>
public sealed class CacheOperationAnalyzerTests
{
    private const string Cache = """
        namespace Shop
        {
            [KafkaMessage] public sealed partial record Price([Field(1)] string Sku, [Field(2)] long Cents);

            [ReplicatedCache("prices", Partitions = 12)]
            public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<string, Price>;
        }
        """;

    private const string Audit = """
        namespace Shop
        {
            [ConsumerGroup("audit")]
            public sealed partial class PriceAudit : IHandle<PriceCache.Added>, IHandle<PriceCache.Updated>, IHandle<PriceCache.Deleted>
            {
                public ValueTask HandleAsync(PriceCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;

                public ValueTask HandleAsync(PriceCache.Updated message, MessageContext context, CancellationToken cancellationToken) => default;

                ValueTask IHandle<PriceCache.Deleted>.HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """;

    /// <summary>The test compilation plus what the generated cache and dispatcher call (logging, DI, configuration).</summary>
    private static Compilation WithHosting(params string[] sources) =>
        TestCompilation.Create(sources.Select(s => TestCompilation.Usings + s).ToArray()).AddReferences(
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Configuration.IConfiguration).Assembly.Location));

    private static Compilation Generate(Compilation compilation) => Generate(compilation, out _);

    private static Compilation Generate(Compilation compilation, out System.Collections.Immutable.ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new KafkaTypedGenerator().AsSourceGenerator() }, parseOptions: TestCompilation.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out generatorDiagnostics);
        Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));
        return updated;
    }

    /// <summary>What a build shows of KafkaTyped: the analyzers' diagnostics and the generator's (KT0208 on a [ConsumerGroup] class is the generator's).</summary>
    private static async Task<List<Diagnostic>> KafkaTypedDiagnostics(Compilation compilation)
    {
        var updated = Generate(compilation, out var generatorDiagnostics);
        var result = await AnalyzerRunner.RunAsync(updated);
        Assert.Empty(result.Exceptions);
        return result.AnalyzerDiagnostics.Concat(generatorDiagnostics.Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal))).ToList();
    }

    [Fact]
    public async Task HandlersOfGeneratedOperationsAreSilentAndCompile()
    {
        var updated = Generate(WithHosting(Cache, Audit));
        Assert.Contains(updated.SyntaxTrees, t => t.FilePath.EndsWith("Shop.PriceAuditDispatcher.g.cs", StringComparison.Ordinal));

        var result = await AnalyzerRunner.RunAsync(updated);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.AnalyzerDiagnostics.Select(d => d.ToString()));
        Assert.DoesNotContain(result.AllDiagnostics, d => d.Id == "AD0001");
        Assert.Empty(updated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }

    [Fact]
    public async Task AHandlerMethodOfAnOperationOutsideTheInterfaceIsASignatureMismatch()
    {
        var updated = Generate(WithHosting(Cache, """
            namespace Shop
            {
                [ConsumerGroup("audit")]
                public sealed partial class PriceAudit
                {
                    public Task HandleAsync(PriceCache.Added message) => Task.CompletedTask;
                }
            }
            """));
        var result = await AnalyzerRunner.RunAsync(updated);
        Assert.Equal(["KT0201"], result.AnalyzerDiagnostics.Select(d => d.Id));
    }

    /// <summary>On a [ConsumerGroup] class the compiler's CS0426 would hide the analyzer in dotnet build: the generator reports KT0208.</summary>
    [Fact]
    public Task UnknownOperationName() => GeneratorVerifier.VerifyDiagnosticsAsync(
        Cache,
        """
        namespace Shop
        {
            [ConsumerGroup("audit")]
            public sealed partial class PriceAudit : {|KT0208:IHandle<PriceCache.Removed>|}
            {
                public ValueTask HandleAsync(PriceCache.Removed message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """);

    [Fact]
    public async Task UnknownOperationNameNextToTheGeneratedOnes()
    {
        var compilation = WithHosting(Cache, """
            namespace Shop
            {
                [ConsumerGroup("audit")]
                public sealed partial class PriceAudit : IHandle<PriceCache.Added>, IHandle<PriceCache.Nope>
                {
                    public ValueTask HandleAsync(PriceCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;
                    public ValueTask HandleAsync(PriceCache.Nope message, MessageContext context, CancellationToken cancellationToken) => default;
                }
            }
            """);
        var updated = Generate(compilation);
        var diagnostic = Assert.Single(await KafkaTypedDiagnostics(compilation));
        Assert.Equal("KT0208", diagnostic.Id);
        Assert.Equal(
            "'PriceAudit' handles 'PriceCache.Nope', which is no generated cache operation: replicated cache 'PriceCache' has the operations PriceCache.Added, PriceCache.Updated and PriceCache.Deleted",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        // The generator emitted no dispatcher for the group, so nothing in generated code fails to compile.
        Assert.DoesNotContain(updated.SyntaxTrees, t => t.FilePath.EndsWith("Shop.PriceAuditDispatcher.g.cs", StringComparison.Ordinal));
        Assert.DoesNotContain(updated.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task OperationsOfASkippedCache()
    {
        var diagnostics = await KafkaTypedDiagnostics(WithHosting("""
            namespace Shop
            {
                [KafkaMessage] public sealed partial record Price([Field(1)] string Sku);

                [ReplicatedCache("prices")]
                public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<double, Price>;

                [ConsumerGroup("audit")]
                public sealed partial class PriceAudit : IHandle<PriceCache.Added>
                {
                    public ValueTask HandleAsync(PriceCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;
                }
            }
            """));
        Assert.Equal(["KT0108", "KT0208"], diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Contains("the generator skipped replicated cache 'PriceCache'", diagnostics.Single(d => d.Id == "KT0208").GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public Task OperationsOfACacheWithoutTheAttribute() => GeneratorVerifier.VerifyDiagnosticsAsync(
        """
        namespace Shop
        {
            [KafkaMessage] public sealed partial record Price([Field(1)] string Sku);

            public sealed class PriceCache(KafkaTyped.GeneratedCode.ReplicatedCacheSettings settings) : KafkaTyped.Cache.ReplicatedCache<string, Price>(settings);

            [ConsumerGroup("audit")]
            public sealed partial class PriceAudit : {|KT0208:IHandle<PriceCache.Deleted>|}
            {
                public ValueTask HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """);

    /// <summary>
    /// A handler class without [ConsumerGroup]: CS0426 hides the analyzers from dotnet build here too, so the generator
    /// reports KT0208 (located on the base-list entry) and the analyzers only add KT0209 for the missing attribute.
    /// </summary>
    [Fact]
    public async Task UnknownOperationOutsideAGroupIsTheGenerators()
    {
        const string Handler = """
            namespace Shop
            {
                public sealed class PriceAudit : IHandle<PriceCache.Removed>
                {
                    public ValueTask HandleAsync(PriceCache.Removed message, MessageContext context, CancellationToken cancellationToken) => default;
                }
            }
            """;
        await GeneratorVerifier.VerifyDiagnosticsAsync(Cache, Handler.Replace("IHandle<PriceCache.Removed>", "{|KT0208:IHandle<PriceCache.Removed>|}", StringComparison.Ordinal));
        await AnalyzerRunner.VerifyAsync(Cache, Handler.Replace("class PriceAudit", "class {|KT0209:PriceAudit|}", StringComparison.Ordinal));

        // What a build shows: each mistake once, KT0208 from the generator (which the command-line compiler always reports).
        var diagnostics = await KafkaTypedDiagnostics(WithHosting(Cache, Handler));
        Assert.Equal(["KT0208", "KT0209"], diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    /// <summary>A partial handler class declared in two parts, both naming IHandle: KT0208 is reported once, not per part.</summary>
    [Fact]
    public async Task UnknownOperationOnAPartialHandlerIsReportedOnce()
    {
        var diagnostics = await KafkaTypedDiagnostics(WithHosting(Cache, """
            namespace Shop
            {
                public sealed partial class PriceAudit : IHandle<PriceCache.Removed> { }

                public sealed partial class PriceAudit : IHandle<PriceCache.Removed>
                {
                    public ValueTask HandleAsync(PriceCache.Removed message, MessageContext context, CancellationToken cancellationToken) => default;
                }
            }
            """));
        Assert.Single(diagnostics, d => d.Id == "KT0208");
    }

    [Fact]
    public Task OtherUnresolvedNestedTypesAreLeftToTheCompiler() => AnalyzerRunner.VerifyAsync(
        """
        namespace Shop
        {
            public sealed class Holder { }

            [ConsumerGroup("audit")]
            public sealed partial class PriceAudit : IHandle<Holder.Added>
            {
                public ValueTask HandleAsync(Holder.Added message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """);

    [Fact]
    public Task AHandWrittenTypeNamedLikeAnOperationIsNoOperation() => AnalyzerRunner.VerifyAsync(
        """
        namespace Shop
        {
            [KafkaMessage] public sealed partial record Price([Field(1)] string Sku);

            [ReplicatedCache("prices")]
            public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<string, Price>
            {
                public sealed class {|KT0113:Added|} { }

                public const string {|KT0113:TopicName|} = "prices";
            }

            [ConsumerGroup("audit")]
            public sealed partial class PriceAudit : {|KT0203:IHandle<PriceCache.Added>|}
            {
                public ValueTask HandleAsync(PriceCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """);
}
