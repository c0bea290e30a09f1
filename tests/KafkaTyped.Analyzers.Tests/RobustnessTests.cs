using System.Text;
using KafkaTyped.Roslyn.Testing;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit.Abstractions;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// Feeds randomly broken message, set, handler and cache declarations (fixed seed) to the generator, the analyzers and
/// the code fixes together: none may throw (no AD0001, no CS8784/CS8785, no generator or analyzer exception). The one
/// robustness test of the Roslyn side: its seeds include the generator tests' baseline samples.
/// </summary>
public sealed class RobustnessTests(ITestOutputHelper output)
{
    private const int Seed = 20261122;
    private const int MutantsPerSeed = 90;

    private static readonly string[] Seeds =
    [
        """
        public enum Status { Unknown = 0, Open = 1 }

        [KafkaMessage]
        public sealed partial record Money([Field(1)] string Currency, [Field(2)] long Units);

        [Reserved(4, 5)]
        [Reserved("old_name")]
        [KafkaMessage(Name = "OrderPlacedV1")]
        public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] Money Total, [Field(3)] Status Status, [Field(6)] List<string> Tags) : IOrderEvents
        {
            [Field(7, Encoding = IntegerEncoding.ZigZag)] public int Delta { get; init; }
            [Field(8)] public IReadOnlyDictionary<string, Money>? Lines { get; init; }
        }
        """,
        """
        [Topic("orders", Partitions = 12, ReplicationFactor = 3)]
        public partial interface IOrderEvents { }

        [Topic("audit")]
        public partial interface IAuditEvents { }

        [KafkaMessage]
        public sealed partial record OrderCancelled([Field(1), Key] string OrderId, [Field(2)] DateTimeOffset At) : IOrderEvents;
        """,
        """
        [ConsumerGroup("billing")]
        public sealed partial class Billing : IHandle<OrderPlaced>, IHandle<OrderCancelled>
        {
            public async ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
            {
                await Task.Delay(1, cancellationToken);
                var t = Task.FromResult(1);
                _ = t.Result;
            }

            public ValueTask HandleAsync(OrderCancelled message, MessageContext context, CancellationToken cancellationToken) => default;

            public void Handle(OrderPlaced message) { Thread.Sleep(1); }
        }
        """,
        """
        namespace KafkaTyped.Cache
        {
            public abstract class ReplicatedCache<TKey, TValue> where TValue : class { }
        }

        [KafkaMessage]
        public sealed partial record Price([Field(1), Key] string Sku, [Field(2)] double Value, [Field(3)] decimal Exact, [Field(4)] TimeSpan Ttl);

        [ReplicatedCache("prices", Partitions = 3)]
        public sealed partial class PriceCache : KafkaTyped.Cache.ReplicatedCache<string, Price> { }
        """,
        """
        public static partial class Outer
        {
            [KafkaMessage]
            public partial class Inner
            {
                [Field(1)] public byte[] Raw { get; set; } = [];
                [Field(2)] public Guid Id { get; set; }
                [Field(3)] public int? Maybe { get; set; }
                [Field(19500)] public string Bad { get; set; } = "";
                public char Unsupported { get; set; }
            }
        }
        """,
        """
        [KafkaMessage]
        public sealed partial record Sample([Field(1)] ReadOnlyMemory<byte> Data, [Field(2)] float Ratio, [Field(3)] ulong Big, [Field(4)] DateTime When, [Field(5)] Sample? Child);

        [ConsumerGroup("")]
        public sealed class Broken : IHandle<string>
        {
            public ValueTask HandleAsync(string message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        """
        [ConsumerGroup("price-audit")]
        public sealed partial class PriceAudit : IHandle<PriceCache.Added>, IHandle<PriceCache.Deleted>, IHandle<PriceCache.Nope>
        {
            public ValueTask HandleAsync(PriceCache.Added message, MessageContext context, CancellationToken cancellationToken) => default;
            ValueTask IHandle<PriceCache.Deleted>.HandleAsync(PriceCache.Deleted message, MessageContext context, CancellationToken cancellationToken) => default;
            public ValueTask HandleAsync(PriceCache.Nope message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
        """
        [Topic("orders", Partitions = 0)]
        public interface IClash { }

        [Topic("orders", Partitions = 6)]
        public partial interface IOrderEventsToo { }

        [ConsumerGroup("billing")]
        public sealed partial class BillingToo : IHandle<OrderPlaced>
        {
            async void HandleAsync(OrderPlaced message) { await Task.Yield(); }
            ValueTask IHandle<OrderPlaced>.HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """,
    ];

    /// <summary>The generator tests' baseline samples: whole files, with their own usings and namespaces.</summary>
    private static readonly string[] Samples = [Sources.OrderSet, Sources.CacheOperations];

    /// <summary>Fragments of KafkaTyped declarations put in place of a token, so mutants stay close to real mistakes.</summary>
    private static readonly string[] Fragments =
    [
        "partial ", "", "{", "}", "(", ")", "[Field(\"x\")]", "[Field]", "[Field(1, Encoding = (IntegerEncoding)9)]", "[Key]",
        "[Reserved(null)]", "[Reserved(-5)]", "[Topic(null)]", "[KafkaMessage(Name = \"1bad\")]", "Unknown", "List<", "?", "<T>",
        "static ", "abstract ", ": IOrderEvents", "class ", "record struct ", "[Field(536870912)]", "required ", "init; ", "set; ",
        "Nope", "Operations", "Added", "PriceCache.", "[ReplicatedCache(\"p\")]", "[ConsumerGroup(\"g\")]", "IHandle<PriceCache.Deleted>, ",
    ];

    private const string BaselineProto = """
        syntax = "proto3";
        package shop.orders;
        import "google/protobuf/timestamp.proto";
        message OrderPlaced {
          reserved 9, 12 to 14, 100 to max;
          reserved "legacy_code";
          string order_id = 1;
          int64 amount_cents = 2;
          map<string, int32> counts = 6;
          oneof payment { string card = 7; string voucher = 8; }
          enum Status { STATUS_UNSPECIFIED = 0; }
        }
        message OrderCancelled { string order_id = 1; string reason = 2 [deprecated = true]; }
        """;

    [Fact]
    public async Task MutatedSourcesNeverCrashTheGeneratorOrTheAnalyzers()
    {
        var random = new Random(Seed);
        var mutants = 0;
        var fixed_ = 0;
        var failures = new List<string>();
        foreach (var seed in Seeds.Select(s => TestCompilation.Usings + s).Concat(Samples))
        {
            for (var i = 0; i < MutantsPerSeed; i++)
            {
                var mutated = Mutate(seed, random);
                // Every third run also breaks the committed schema baseline the schema-evolution analyzer reads.
                var baseline = i % 3 == 0 ? MutateText(BaselineProto, random) : BaselineProto;
                mutants++;
                var problem = await RunAsync(mutated, baseline);
                if (problem is null && i % 5 == 0)
                {
                    // Code fixes on broken code must not throw either (an IDE runs them on every keystroke's state).
                    problem = await RunCodeFixesAsync(mutated, baseline);
                    fixed_++;
                }

                if (problem is not null)
                {
                    failures.Add(problem + "\n--- mutant ---\n" + mutated);
                }
            }
        }

        output.WriteLine($"mutated sources checked: {mutants} (seed {Seed}); code fixes also applied to {fixed_} of them");
        Assert.True(mutants >= 900, $"only {mutants} mutants");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
    }

    private static async Task<string?> RunAsync(string source, string baseline)
    {
        var compilation = TestCompilation.Create(source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new KafkaTypedGenerator().AsSourceGenerator() },
            parseOptions: TestCompilation.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var updated, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        if (run.Results.Any(r => r.Exception is not null))
        {
            return "generator threw: " + run.Results.First(r => r.Exception is not null).Exception;
        }

        if (generatorDiagnostics.Any(d => d.Id is "CS8784" or "CS8785"))
        {
            return "generator failed: " + string.Join("; ", generatorDiagnostics);
        }

        var result = await AnalyzerRunner.RunAsync(updated, InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/order_events.proto", baseline)));
        if (result.Exceptions.Count > 0)
        {
            return "analyzer threw: " + result.Exceptions[0];
        }

        var ad0001 = result.AllDiagnostics.FirstOrDefault(d => d.Id == "AD0001");
        return ad0001 is null ? null : "AD0001: " + ad0001.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static readonly Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider[] Fixers = typeof(KafkaTyped.CodeFixes.MakePartialCodeFixProvider).Assembly.GetTypes()
        .Where(t => typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
        .Select(t => (Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(t)!)
        .ToArray();

    private static async Task<string?> RunCodeFixesAsync(string source, string baseline)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Mutant", "Mutant", LanguageNames.CSharp,
                compilationOptions: TestCompilation.CompilationOptions, parseOptions: TestCompilation.ParseOptions, metadataReferences: TestCompilation.References))
            .AddDocument(documentId, "Source0.cs", Microsoft.CodeAnalysis.Text.SourceText.From(source), filePath: "Source0.cs");
        var document = solution.GetDocument(documentId)!;
        var compilation = (await document.Project.GetCompilationAsync())!;
        var result = await AnalyzerRunner.RunAsync(compilation, InMemoryAdditionalText.Files(("/repo/schemas/shop/orders/order_events.proto", baseline)));
        foreach (var diagnostic in result.AnalyzerDiagnostics.Where(d => d.Location.IsInSource))
        {
            foreach (var fixer in Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                try
                {
                    var actions = new List<Microsoft.CodeAnalysis.CodeActions.CodeAction>();
                    await fixer.RegisterCodeFixesAsync(new Microsoft.CodeAnalysis.CodeFixes.CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
                    foreach (var action in actions)
                    {
                        await action.GetOperationsAsync(CancellationToken.None);
                    }
                }
                catch (Exception exception)
                {
                    return $"{fixer.GetType().Name} threw on {diagnostic.Id}: {exception}";
                }
            }
        }

        return null;
    }

    private static string Mutate(string source, Random random)
    {
        var edits = 1 + random.Next(3);
        for (var i = 0; i < edits; i++)
        {
            source = MutateOnce(source, random);
        }

        return source;
    }

    private static string MutateOnce(string source, Random random)
    {
        var tokens = CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions).GetRoot().DescendantTokens().ToList();
        var token = tokens[random.Next(tokens.Count)];
        switch (random.Next(13))
        {
            case 0: // delete a token
                return source.Remove(token.SpanStart, token.Span.Length);
            case 1: // truncate
                return source.Substring(0, random.Next(source.Length));
            case 2: // drop partial
                return ReplaceRandom(source, "partial ", string.Empty, random);
            case 3: // drop a brace
                return ReplaceRandom(source, random.Next(2) == 0 ? "{" : "}", string.Empty, random);
            case 4: // mistype an attribute argument
                return token.IsKind(SyntaxKind.NumericLiteralToken)
                    ? Replace(source, token, Pick(random, "\"x\"", "1.5", "-1", "int.MaxValue", "null", "19000", "0"))
                    : token.IsKind(SyntaxKind.StringLiteralToken)
                        ? Replace(source, token, Pick(random, "1", "null", "\"\"", "\"a b\"", "\".\"", "nameof(Missing)"))
                        : ReplaceRandom(source, "(", "(\"oops\", ", random);
            case 5: // nest in a generic type
                return "public partial class Wrapper<T> {\n" + source.Replace("using ", "// using ", StringComparison.Ordinal) + "\n}";
            case 6: // duplicate a declaration line
                var lines = source.Split('\n').ToList();
                var index = random.Next(lines.Count);
                lines.Insert(index, lines[index]);
                return string.Join('\n', lines);
            case 7: // unresolved type
                return token.IsKind(SyntaxKind.IdentifierToken) || token.IsKind(SyntaxKind.PredefinedType)
                    ? Replace(source, token, Pick(random, "Missing", "Missing<int>", "List<Missing>", "dynamic", "object", "int*", "delegate*<void>"))
                    : source;
            case 8: // swap identifiers
                var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).ToList();
                return identifiers.Count == 0 ? source : Replace(source, token, identifiers[random.Next(identifiers.Count)].ValueText);
            case 9: // attribute chaos
                return source.Insert(token.SpanStart, Pick(random, "[Field(3)] ", "[Key] ", "[KafkaMessage] ", "[Reserved(\"x\", 1)] ", "[Topic(null)] ", "[ConsumerGroup(1)] ", "[ReplicatedCache(\"\")] "));
            case 10: // insert random punctuation
                return source.Insert(token.SpanStart, Pick(random, ";", ",", "(", ")", "<", ">", "=>", "\"", "'", "@", "#if X\n", "/*"));
            case 11: // a KafkaTyped fragment in place of a token
                return Replace(source, token, Pick(random, Fragments));
            default: // generics, nullable and static sprinkled on a type
                return ReplaceRandom(source, Pick(random, "record ", "class ", "interface "), Pick(random, "record struct ", "static class ", "abstract record ", "class G<T> : ", "record R<T>"), random);
        }
    }

    /// <summary>Character-level damage for non-C# text: delete, duplicate or insert punctuation at random places.</summary>
    private static string MutateText(string text, Random random)
    {
        var position = random.Next(text.Length);
        return random.Next(4) switch
        {
            0 => text.Substring(0, position),
            1 => text.Remove(position, Math.Min(1 + random.Next(8), text.Length - position)),
            2 => text.Insert(position, Pick(random, "{", "}", ";", "=", "\"", "<", ">", "/*", "to", "-1", "99999999999")),
            _ => text.Insert(position, text.Substring(random.Next(text.Length / 2), 12)),
        };
    }

    private static string Replace(string source, SyntaxToken token, string text) =>
        source.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, text);

    private static string ReplaceRandom(string source, string find, string replacement, Random random)
    {
        var positions = new List<int>();
        for (var at = source.IndexOf(find, StringComparison.Ordinal); at >= 0; at = source.IndexOf(find, at + 1, StringComparison.Ordinal))
        {
            positions.Add(at);
        }

        if (positions.Count == 0)
        {
            return source;
        }

        var position = positions[random.Next(positions.Count)];
        return new StringBuilder(source).Remove(position, find.Length).Insert(position, replacement).ToString();
    }

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];
}
