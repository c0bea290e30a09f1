using System.Text;
using BenchmarkDotNet.Attributes;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Benchmarks.Codec;

/// <summary>
/// The generator over 200 message records (40 sets of 5): a cold run on a fresh driver, and a re-run after an unrelated
/// one-line edit, where every step should be cached.
/// </summary>
[MemoryDiagnoser]
public class CodecGeneratorBenchmarks
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        var source = new StringBuilder("using System; using System.Collections.Generic; using KafkaTyped;\nnamespace Bench.Gen;\n");
        for (int set = 0; set < 40; set++)
        {
            source.Append($"[Topic(\"topic-{set}\")] public partial interface ISet{set};\n");
            for (int m = 0; m < 5; m++)
            {
                source.Append($"[KafkaMessage] public sealed partial record Message{set}x{m}([Field(1), Key] string Id, [Field(2)] long Amount, [Field(3)] DateTimeOffset At, [Field(4)] List<string> Tags, [Field(5)] int? Count) : ISet{set};\n");
            }
        }

        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = trusted.Split(Path.PathSeparator).Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(KafkaMessageAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Google.Protobuf.IMessage).Assembly.Location))
            .ToList();
        SyntaxTree messages = CSharpSyntaxTree.ParseText(source.ToString(), ParseOptions, path: "Messages.cs");
        SyntaxTree other = CSharpSyntaxTree.ParseText("namespace Bench.Gen; public static class Other { public static int X => 1; }", ParseOptions, path: "Other.cs");
        _compilation = CSharpCompilation.Create("Bench", [messages, other], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _edited = _compilation.ReplaceSyntaxTree(other, CSharpSyntaxTree.ParseText("namespace Bench.Gen; public static class Other { public static int X => 2; }", ParseOptions, path: "Other.cs"));
        _warm = NewDriver().RunGenerators(_compilation);
        int files = _warm.GetRunResult().Results[0].GeneratedSources.Length;
        if (files != 281)
        {
            throw new InvalidOperationException($"Expected 281 generated files (200 messages, 40 sets, 40 producers, 1 registry), got {files}.");
        }
    }

    [Benchmark]
    public GeneratorDriver Cold_run_200_messages() => NewDriver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver Rerun_after_unrelated_edit() => _warm.RunGenerators(_edited);

    private static GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new KafkaTypedGenerator().AsSourceGenerator()], parseOptions: ParseOptions);
}
