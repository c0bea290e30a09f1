using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Generators.Tests;

/// <summary>The generator never throws, whatever half-typed code it is given (fixed-seed mutants of the samples).</summary>
public sealed class RobustnessTests
{
    private static readonly string[] Replacements =
    [
        "partial ", "", "{", "}", "(", ")", "[Field(\"x\")]", "[Field]", "[Field(1, Encoding = (IntegerEncoding)9)]", "[Key]",
        "[Reserved(null)]", "[Reserved(-5)]", "[Topic(null)]", "[KafkaMessage(Name = \"1bad\")]", "Unknown", "List<", "?", "<T>",
        "static ", "abstract ", ": IOrderEvents", "class ", "record struct ", "[Field(536870912)]", "required ", "init; ", "set; ",
        "Nope", "Operations", "Added", "PriceCache.", "[ReplicatedCache(\"p\")]", "[ConsumerGroup(\"g\")]", "IHandle<PriceCache.Deleted>, ",
    ];

    [Theory]
    [InlineData(nameof(Sources.OrderSet))]
    [InlineData(nameof(Sources.CacheOperations))]
    public void Mutated_sources_never_crash_the_generator(string sample)
    {
        string source = sample == nameof(Sources.OrderSet) ? Sources.OrderSet : Sources.CacheOperations;
        var random = new Random(20240601);
        SyntaxToken[] tokens = CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions).GetRoot().DescendantTokens().ToArray();
        for (int i = 0; i < 200; i++)
        {
            string mutant = Mutate(source, tokens, random);
            GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(mutant));
            Assert.True(run.Result.Exception is null, $"mutant {i} threw {run.Result.Exception}\n{mutant}");
            Assert.False(run.OutputDiagnostics.Any(d => d.Id is "CS8784" or "CS8785"), $"mutant {i}\n{mutant}");
        }
    }

    private static string Mutate(string source, SyntaxToken[] tokens, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                return source[..random.Next(source.Length)];
            case 1:
            {
                SyntaxToken t = tokens[random.Next(tokens.Length)];
                return source.Remove(t.SpanStart, t.Span.Length);
            }

            case 2:
            {
                SyntaxToken t = tokens[random.Next(tokens.Length)];
                return source.Remove(t.SpanStart, t.Span.Length).Insert(t.SpanStart, Replacements[random.Next(Replacements.Length)]);
            }

            default:
            {
                SyntaxToken t = tokens[random.Next(tokens.Length)];
                return source.Insert(t.SpanStart, Replacements[random.Next(Replacements.Length)] + " ");
            }
        }
    }
}
