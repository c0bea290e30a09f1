using KafkaTyped.Roslyn.Testing;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// The generator and the analyzers agree: for a declaration an analyzer reports, the generator emits nothing that
/// fails to compile, so the user sees the KT diagnostic and never a compiler error inside generated code.
/// </summary>
public sealed class GeneratorAgreementTests
{
    public static TheoryData<string, string> InvalidDeclarations() => new()
    {
        { "KT0001", "[KafkaMessage] public sealed record Order([Field(1)] string Id);" },
        { "KT0002", "[KafkaMessage] public abstract partial record Order([Field(1)] string Id);" },
        { "KT0002", "public static class Outer { [KafkaMessage] public sealed partial record Order([Field(1)] string Id); }" },
        { "KT0002", "[KafkaMessage] public sealed partial class Order { [Field(1)] public string Id { get; set; } = \"\"; }" },
        { "KT0003", "public static class Outer { [ConsumerGroup(\"g\")] public sealed partial class H { } }" },
        { "KT0009", "[KafkaMessage] public sealed partial record Node([Field(1)] Node Next);" },
        { "KT0009", "[KafkaMessage] public sealed partial record Order([Field(1, Encoding = IntegerEncoding.ZigZag)] uint Count);" },
        { "KT0009", "[KafkaMessage] public sealed partial record Order([Field(1)] List<string?> Tags);" },
        { "KT0013", "[KafkaMessage] public sealed partial record Order([Field(1)] string OrderId, [Field(2)] string Order_Id);" },
        { "KT0014", "[KafkaMessage(Name = \"a b\")] public sealed partial record Order([Field(1)] string Id);" },
        { "KT0016", "public record Base; [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : Base;" },
        { "KT0017", "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { [Field(2)] public string Upper => Id; }" },
        { "KT0018", "public enum W : long { None = 0 } [KafkaMessage] public sealed partial record Order([Field(1)] W Size);" },
        { "KT0109", "namespace A { [Topic(\"t\")] public partial interface IEvents { } } namespace A.B { [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : A.IEvents; }" },
        { "KT0111", "public static partial class Outer { [Topic(\"t\")] public partial interface IEvents { } }" },
        { "KT0004", "[KafkaMessage] public sealed partial record Order([Field(1)] string Id, long Amount);" },
        { "KT0005", "[KafkaMessage] public sealed partial record Order([Field(1)] string Id, [Field(1)] long Amount);" },
        { "KT0006", "[KafkaMessage] public sealed partial record Order([Field(19000)] string Id);" },
        { "KT0007", "[Reserved(1)][KafkaMessage] public sealed partial record Order([Field(1)] string Id);" },
        { "KT0008", "[Reserved(\"id\")][KafkaMessage] public sealed partial record Order([Field(1)] string Id);" },
        { "KT0009", "[KafkaMessage] public sealed partial record Order([Field(1)] char Id);" },
        { "KT0010", "public enum S { A = 1 } [KafkaMessage] public sealed partial record Order([Field(1)] S State);" },
        { "KT0011", "[KafkaMessage] public sealed partial record Order([Field(1), Key] string Id, [Field(2), Key] string Other);" },
        { "KT0012", "[KafkaMessage] public sealed partial record Order([Field(1), Key] double Id);" },
        { "KT0101", "[Topic(\"a b\")] public partial interface IEvents { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IEvents;" },
        { "KT0103", "[Topic(\"a\", Partitions = 0)] public partial interface IEvents { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IEvents;" },
        { "KT0105", "[Topic(\"a\")] public partial interface IA { } [Topic(\"b\")] public partial interface IB { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IA, IB;" },
        { "KT0201", "[KafkaMessage] public sealed partial record Order([Field(1)] string Id); [ConsumerGroup(\"g\")] public sealed partial class H { public Task HandleAsync(Order o) => Task.CompletedTask; }" },
        { "KT0203", "[ConsumerGroup(\"g\")] public sealed partial class H : IHandle<string> { public ValueTask HandleAsync(string m, MessageContext c, CancellationToken t) => default; }" },
        { "KT0113", "[KafkaMessage] public sealed partial record P([Field(1)] int A); [ReplicatedCache(\"p\")] public sealed partial class C : KafkaTyped.Cache.ReplicatedCache<string, P> { public sealed class Deleted { } }" },
        { "KT0208", "[KafkaMessage] public sealed partial record P([Field(1)] int A); [ReplicatedCache(\"p\")] public sealed partial class C : KafkaTyped.Cache.ReplicatedCache<double, P>; [ConsumerGroup(\"g\")] public sealed partial class H : IHandle<C.Added> { public ValueTask HandleAsync(C.Added m, MessageContext c, CancellationToken t) => default; }" },
        { "KT0205", "[KafkaMessage] public sealed partial record Order([Field(1)] string Id); [ConsumerGroup(\"\")] public sealed partial class H : IHandle<Order> { public ValueTask HandleAsync(Order m, MessageContext c, CancellationToken t) => default; }" },
    };

    [Theory]
    [MemberData(nameof(InvalidDeclarations))]
    public async Task InvalidDeclarationGetsOurDiagnosticAndNoBrokenGeneratedCode(string id, string source)
    {
        var compilation = TestCompilation.Create(TestCompilation.Usings + source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new KafkaTypedGenerator().AsSourceGenerator() }, parseOptions: TestCompilation.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var generatorDiagnostics);
        Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));
        // The generator reports only KafkaTyped diagnostics (the mistakes the compiler would otherwise hide), never a crash.
        Assert.All(generatorDiagnostics, d => Assert.StartsWith("KT", d.Id, StringComparison.Ordinal));

        var generatedTrees = updated.SyntaxTrees.Except(compilation.SyntaxTrees).ToHashSet();
        var errorsInGenerated = updated.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree))
            .Select(d => d.ToString())
            .ToList();
        Assert.Empty(errorsInGenerated);

        var result = await AnalyzerRunner.RunAsync(updated);
        Assert.Contains(result.AnalyzerDiagnostics.Concat(generatorDiagnostics), d => d.Id == id);
    }

    [Fact]
    public async Task ValidDeclarationsStaySilentNextToGeneratedCode()
    {
        var compilation = TestCompilation.Create(TestCompilation.Usings + """
            namespace Shop.Orders
            {
                public enum Status { Unknown = 0, Open = 1 }

                [Topic("orders", Partitions = 3)]
                public partial interface IOrderEvents { }

                [KafkaMessage]
                public sealed partial record Money([Field(1)] string Currency, [Field(2)] long Units);

                [Reserved(4)]
                [KafkaMessage]
                public sealed partial record OrderPlaced(
                    [Field(1), Key] string OrderId,
                    [Field(2)] Money Total,
                    [Field(3)] Status Status,
                    [Field(5)] List<string> Tags,
                    [Field(6)] DateTimeOffset PlacedAt,
                    [Field(7)] int? Quantity) : IOrderEvents
                {
                    [Field(8)] public string Note { get; init; } = "";
                }

                [KafkaMessage]
                public sealed partial record OrderCancelled([Field(1), Key] string OrderId) : IOrderEvents;

                [ConsumerGroup("billing")]
                public sealed partial class Billing : IHandle<OrderPlaced>, IHandle<OrderCancelled>
                {
                    public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
                    public ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => default;
                }
            }
            """);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new KafkaTypedGenerator().AsSourceGenerator() }, parseOptions: TestCompilation.ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out _);

        var result = await AnalyzerRunner.RunAsync(updated);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.AnalyzerDiagnostics.Select(d => d.ToString()));
    }

    /// <summary>
    /// Declarations probing the edges of what the generator supports (nested, generic, abstract, inherited, set members,
    /// generated-name clashes, every field shape). Each must land on one side: generated and free of analyzer errors,
    /// or skipped and explained by at least one analyzer error.
    /// </summary>
    public static TheoryData<string> EdgeDeclarations() => new()
    {
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id);",
        "[KafkaMessage] public partial record Order([Field(1)] string Id);",
        "[KafkaMessage] internal sealed partial record Order([Field(1)] string Id);",
        "[KafkaMessage] public sealed partial record Order { [Field(1)] public string Id { get; init; } = \"\"; [Field(2)] public long Amount { get; set; } }",
        "[KafkaMessage] public sealed partial record Order { [Field(1)] public required string Id { get; init; } }",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { public string Upper => Id.ToUpperInvariant(); }",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { [Field(2)] public string Upper => Id; }",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { public static string Parser => \"\"; }",
        "[KafkaMessage] public sealed partial record Order([Field(1)] int? Total) { public bool HasTotal => true; }",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { [Key] public string K => Id; }",
        "public static partial class Outer { [KafkaMessage] public sealed partial record Order([Field(1)] string Id); }",
        "[KafkaMessage] public sealed partial record Order<T>([Field(1)] string Id);",
        "[KafkaMessage] public abstract partial record Order([Field(1)] string Id);",
        "[KafkaMessage] public sealed partial class Order { [Field(1)] public string Id { get; set; } = \"\"; }",
        "[KafkaMessage] public partial record struct Order([Field(1)] string Id);",
        "public record Base; [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : Base;",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id, [Field(2)] Order? Next);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id, [Field(2)] Order Next);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] List<List<int>> Grid);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] Dictionary<string, int?> Counts);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] Dictionary<double, int> Counts);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] Dictionary<long, string> Names, [Field(2)] IReadOnlyList<Guid> Ids, [Field(3)] ReadOnlyMemory<byte> Raw);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] decimal Price, [Field(2)] TimeSpan Took, [Field(3)] DateTime At, [Field(4)] uint Count, [Field(5, Encoding = IntegerEncoding.Fixed)] ulong Big);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] short Small);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] DateOnly Day);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] object Any);",
        "[KafkaMessage] public sealed partial record Order([Field(1), Key] Guid Id, [Field(2)] long Amount);",
        "[KafkaMessage] public sealed partial record Order([Field(1), Key] decimal Id);",
        "public enum S { None = 0, A = 1 } [KafkaMessage] public sealed partial record Order([Field(1)] S State, [Field(2)] List<S> All, [Field(3)] S? Maybe);",
        "public enum S { A = 1 } [KafkaMessage] public sealed partial record Order([Field(1)] S State);",
        "namespace A { public enum S { None = 0 } } namespace B { public enum S { None = 0 } } [KafkaMessage] public sealed partial record Order([Field(1)] A.S X, [Field(2)] B.S Y);",
        "[Reserved(2)][Reserved(\"old\")][KafkaMessage] public sealed partial record Order([Field(1)] string Id);",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { private long _n; [Field(2)] public long N { get => _n; init => _n = value; } }",
        "[KafkaMessage] public sealed partial record Order([Field(1)] string Id) { private long _n; [Field(2)] public long N { get => _n; set => _n = value; } }",
        "[Reserved(\"Id\")][KafkaMessage] public sealed partial record Order([Field(1)] string Id);",
        "[Reserved(\"id\")][KafkaMessage] public sealed partial record Order([Field(1)] string Id);",
        "[Topic(\"t\")] public partial interface IEvents { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IEvents;",
        "[Topic(\"t\")] public partial interface IEvents { } [KafkaMessage] public partial record Order([Field(1)] string Id) : IEvents; [KafkaMessage] public sealed partial record Other([Field(1)] Order Inner) : IEvents;",
        "[Topic(\"t\")] public interface IEvents { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IEvents;",
        "public static partial class Outer { [Topic(\"t\")] public partial interface IEvents { } } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : Outer.IEvents;",
        "[Topic(\"t\")] public partial interface IEvents<T> { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IEvents<int>;",
        "namespace Café { [Topic(\"t\")] public partial interface IEvents { } [KafkaMessage] public sealed partial record Order([Field(1)] string Id) : IEvents; }",
    };

    [Theory]
    [MemberData(nameof(EdgeDeclarations))]
    public async Task GeneratorAndAnalyzersAgreeOnEveryMessage(string source)
    {
        var compilation = TestCompilation.Create(TestCompilation.Usings + source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new KafkaTypedGenerator().AsSourceGenerator() }, parseOptions: TestCompilation.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var generatorDiagnostics);
        Assert.All(driver.GetRunResult().Results, r => Assert.Null(r.Exception));

        var result = await AnalyzerRunner.RunAsync(updated);
        Assert.Empty(result.Exceptions);
        // The generator's own reports (the mistakes the compiler would hide) count as explanations too.
        var errors = result.AnalyzerDiagnostics.Concat(generatorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

        var messages = AllTypes(updated.GlobalNamespace)
            .Where(t => t.GetAttributes().Any(a => a.AttributeClass?.Name == "KafkaMessageAttribute") && t.Locations.Any(l => l.IsInSource))
            .ToList();
        Assert.NotEmpty(messages);
        var generatedTrees = updated.SyntaxTrees.Except(compilation.SyntaxTrees).ToHashSet();
        var skipped = messages.Where(m => !m.DeclaringSyntaxReferences.Any(r => generatedTrees.Contains(r.SyntaxTree))).Select(m => m.Name).ToList();
        if (skipped.Count == 0)
        {
            // Generated: no false positive, and the result compiles.
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            var compilerErrors = updated.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
            Assert.True(compilerErrors.Count == 0, string.Join("\n", compilerErrors));
        }
        else
        {
            // Skipped: never silently.
            Assert.True(errors.Count > 0, "the generator skipped " + string.Join(", ", skipped) + " and no analyzer said why");
        }
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol inner)
            {
                foreach (var type in AllTypes(inner))
                {
                    yield return type;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                yield return type;
                foreach (var nested in type.GetTypeMembers())
                {
                    yield return nested;
                }
            }
        }
    }
}
