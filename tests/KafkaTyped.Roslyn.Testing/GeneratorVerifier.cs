using System.Runtime.CompilerServices;
using System.Text;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>
/// Verifies the generator's output through Microsoft.CodeAnalysis.Testing: the generated sources are exactly the
/// baseline files of the test (<c>Baselines/&lt;Test&gt;/&lt;HintName&gt;.txt</c>), and the project with them compiles with
/// no error and no warning in generated code (nullable enabled, latest language version).
/// </summary>
public static class GeneratorVerifier
{
    public static async Task VerifyBaselineAsync(string[] sources, [CallerMemberName] string test = "", [CallerFilePath] string callerPath = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Baselines", test);
        string version = typeof(KafkaTypedGenerator).Assembly.GetName().Version!.ToString();
        var verify = new Test { CompilerDiagnostics = CompilerDiagnostics.Warnings };
        for (int i = 0; i < sources.Length; i++)
        {
            verify.TestState.Sources.Add(($"Source{i}.cs", sources[i]));
        }

        verify.TestState.AdditionalReferences.AddRange(TestReferences.KafkaTyped);
        Assert.True(Directory.Exists(folder), $"No baselines in {folder}; run with KAFKATYPED_UPDATE_BASELINES=1.");

        // The framework compares the files in the order the generator adds them; the baselines are one file per hint name.
        var order = GeneratorRun.Start(TestCompilation.Create(sources)).Result.GeneratedSources.Select(s => s.HintName).ToList();
        string[] files = Directory.GetFiles(folder, "*.txt");
        Assert.Equal(files.Select(f => Path.GetFileNameWithoutExtension(f)).OrderBy(n => n, StringComparer.Ordinal), order.OrderBy(n => n, StringComparer.Ordinal));
        foreach (string hintName in order)
        {
            string text = File.ReadAllText(Path.Combine(folder, hintName + ".txt")).ReplaceLineEndings("\n").Replace("%VERSION%", version, StringComparison.Ordinal);
            verify.TestState.GeneratedSources.Add((typeof(KafkaTypedGenerator), hintName, SourceText.From(text, Encoding.UTF8)));
        }

        await verify.RunAsync();
    }

    /// <summary>
    /// Asserts that the generator reports exactly the diagnostics marked up with <c>{|KTnnnn:…|}</c> (the mistakes whose
    /// compiler errors would hide analyzer diagnostics) and that no analyzer reports them again. Generated sources and
    /// compiler diagnostics are not compared.
    /// </summary>
    public static async Task VerifyDiagnosticsAsync(params string[] markupSources)
    {
        var verify = new Test
        {
            CompilerDiagnostics = CompilerDiagnostics.None,
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        AnalyzerRunner.Configure(verify.TestState, markupSources, default, null);
        await verify.RunAsync();

        // The analyzers leave these to the generator: nothing the generator reported comes twice.
        string[] sources = markupSources.Select(s => TestCompilation.Usings + StripMarkup(s)).ToArray();
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(sources));
        var analyzers = await AnalyzerRunner.RunAsync(run.Output);
        foreach (Diagnostic reported in run.OutputDiagnostics.Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(analyzers.AnalyzerDiagnostics, d => d.Id == reported.Id && d.Location.SourceSpan == reported.Location.SourceSpan);
        }
    }

    private static string StripMarkup(string markup) =>
        System.Text.RegularExpressions.Regex.Replace(markup.Replace("|}", string.Empty, StringComparison.Ordinal), @"\{\|KT[0-9]{4}:", string.Empty);

    private sealed class Test : CSharpSourceGeneratorTest<KafkaTypedGenerator, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.Net80;
        }

        /// <summary>The assembly name of every test compilation (the generator names AddKafkaTyped's class after it).</summary>
        protected override string DefaultTestProjectName => "TestAssembly";

        protected override CompilationOptions CreateCompilationOptions() => TestCompilation.CompilationOptions;

        protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

        /// <summary>Errors anywhere; warnings only in generated files (the test sources have no XML docs, for one).</summary>
        protected override bool IsCompilerDiagnosticIncluded(Diagnostic diagnostic, CompilerDiagnostics compilerDiagnostics) =>
            compilerDiagnostics != CompilerDiagnostics.None
            && (diagnostic.Severity == DiagnosticSeverity.Error || (base.IsCompilerDiagnosticIncluded(diagnostic, compilerDiagnostics)
                && diagnostic.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true));
    }
}
