using System.Collections.Immutable;
using KafkaTyped.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>
/// Applies a code fix through Microsoft.CodeAnalysis.Testing, as an IDE would: the fix is applied until no fixable
/// diagnostic is left, and FixAll (document, project, solution) must give the same text. The fixed first source must
/// equal the expected text, the fixed project must compile without errors and no KafkaTyped diagnostic may remain.
/// </summary>
public static class CodeFixRunner
{
    /// <summary>
    /// Fixes <paramref name="diagnosticId"/> in the first source with the action of <paramref name="equivalenceKey"/>
    /// (or the first offered), whose title must be <paramref name="title"/> when given.
    /// </summary>
    public static Task VerifyAsync(
        CodeFixProvider provider, string diagnosticId, string[] sources, string expected, string? title = null, string usings = TestCompilation.Usings,
        ImmutableArray<AdditionalText> additionalFiles = default, string? equivalenceKey = null, CodeFixTestBehaviors behaviors = CodeFixTestBehaviors.None) =>
        RunAsync(provider, diagnosticId, sources, expected, title, usings, additionalFiles, equivalenceKey, fixAllOnly: false, behaviors);

    /// <summary>Runs the provider's FixAll for every <paramref name="diagnosticId"/> in the first document (one FixAll pass).</summary>
    public static Task VerifyFixAllAsync(CodeFixProvider provider, string diagnosticId, string[] sources, string expected, string equivalenceKey, ImmutableArray<AdditionalText> additionalFiles = default) =>
        RunAsync(provider, diagnosticId, sources, expected, null, TestCompilation.Usings, additionalFiles, equivalenceKey, fixAllOnly: true, CodeFixTestBehaviors.None);

    private static async Task RunAsync(
        CodeFixProvider provider, string diagnosticId, string[] sources, string expected, string? title, string usings,
        ImmutableArray<AdditionalText> additionalFiles, string? equivalenceKey, bool fixAllOnly, CodeFixTestBehaviors behaviors)
    {
        Assert.NotNull(provider.GetFixAllProvider());
        if (await GeneratorDiagnosticAsync(sources, usings, diagnosticId) is { } reported)
        {
            // Microsoft.CodeAnalysis.Testing 1.1.4 hands only analyzer diagnostics to code fixes; an IDE hands generator
            // diagnostics too. These (the generator's CompilerMaskedRules) are fixed through a workspace as an IDE would.
            await FixGeneratorDiagnosticAsync(provider, reported, sources, expected, title, usings, equivalenceKey);
            return;
        }

        var test = new Test(provider, diagnosticId)
        {
            CompilerDiagnostics = CompilerDiagnostics.Errors,
            CodeActionEquivalenceKey = equivalenceKey,
            CodeFixTestBehaviors = behaviors,
        };
        AnalyzerRunner.Configure(test.TestState, sources, additionalFiles, null, usings);
        test.TestState.ExpectedDiagnostics.AddRange(await InputDiagnosticsAsync(sources, usings, additionalFiles, diagnosticId));

        // The fixed state is stated in full: its sources, references and files, and no diagnostic at all.
        test.FixedState.InheritanceMode = StateInheritanceMode.Explicit;
        test.FixedState.Sources.Add(("Source0.cs", usings + expected));
        for (int i = 1; i < sources.Length; i++)
        {
            test.FixedState.Sources.Add(($"Source{i}.cs", usings + sources[i]));
        }

        test.FixedState.AdditionalReferences.AddRange(TestReferences.KafkaTyped);
        if (!additionalFiles.IsDefaultOrEmpty)
        {
            test.FixedState.AdditionalFilesFactories.Add(() => additionalFiles.Select(f => (f.Path, f.GetText()!)));
        }

        if (title is not null)
        {
            test.CodeActionVerifier = (action, verifier) => verifier.Equal(title, action.Title);
        }

        if (fixAllOnly)
        {
            // One FixAll pass fixes every diagnostic; fixing them one by one must end in the same text.
            test.NumberOfFixAllIterations = 1;
            test.NumberOfFixAllInDocumentIterations = 1;
        }

        await test.RunAsync();
    }

    private static async Task<Diagnostic?> GeneratorDiagnosticAsync(string[] sources, string usings, string diagnosticId)
    {
        GeneratorRun run = GeneratorRun.Start(TestCompilation.Create(sources.Select(s => usings + s).ToArray()));
        Assert.Null(run.Result.Exception);
        await Task.CompletedTask;
        return run.OutputDiagnostics.FirstOrDefault(d => d.Id == diagnosticId && d.Location.GetLineSpan().Path == "Source0.cs");
    }

    private static async Task FixGeneratorDiagnosticAsync(
        CodeFixProvider provider, Diagnostic diagnostic, string[] sources, string expected, string? title, string usings, string? equivalenceKey)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "TestAssembly", "TestAssembly", LanguageNames.CSharp,
            compilationOptions: TestCompilation.CompilationOptions, parseOptions: TestCompilation.ParseOptions, metadataReferences: TestCompilation.References));
        var ids = new List<DocumentId>();
        for (int i = 0; i < sources.Length; i++)
        {
            var id = DocumentId.CreateNewId(projectId);
            ids.Add(id);
            solution = solution.AddDocument(id, $"Source{i}.cs", SourceText.From(usings + sources[i]), filePath: $"Source{i}.cs");
        }

        var document = solution.GetDocument(ids[0])!;
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var chosen = equivalenceKey is null ? actions.FirstOrDefault() : actions.FirstOrDefault(a => a.EquivalenceKey == equivalenceKey);
        Assert.NotNull(chosen);
        if (title is not null)
        {
            Assert.Equal(title, chosen!.Title);
        }

        var operations = await chosen!.GetOperationsAsync(CancellationToken.None);
        var fixedSolution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var fixedText = (await fixedSolution.GetDocument(ids[0])!.GetTextAsync()).ToString();
        Assert.Equal(usings + expected, fixedText);

        // Fixed: it compiles with the generator's output, and neither the generator nor an analyzer reports anything.
        var compilation = (await fixedSolution.GetProject(projectId)!.GetCompilationAsync())!;
        GeneratorRun run = GeneratorRun.Start(compilation);
        Assert.Empty(run.OutputDiagnostics.Select(d => d.ToString()));
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        var analyzers = await AnalyzerRunner.RunAsync(run.Output);
        Assert.Empty(analyzers.Exceptions);
        Assert.Empty(analyzers.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal)).Select(d => d.ToString()));
    }

    /// <summary>
    /// The diagnostics the input has before the fix (KafkaTyped ones and compiler errors), stated as expected so the
    /// test framework compares them; the one to fix must be in the first source.
    /// </summary>
    private static async Task<DiagnosticResult[]> InputDiagnosticsAsync(string[] sources, string usings, ImmutableArray<AdditionalText> additionalFiles, string diagnosticId)
    {
        var compilation = TestCompilation.Create(sources.Select(s => usings + s).ToArray());
        var result = await AnalyzerRunner.RunAsync(compilation, additionalFiles);
        Assert.Empty(result.Exceptions);
        var diagnostics = result.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal))
            .Concat(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            .Where(d => d.Location.IsInSource)
            .ToList();
        Assert.Contains(diagnostics, d => d.Id == diagnosticId && d.Location.SourceTree!.FilePath == "Source0.cs");
        return diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return new DiagnosticResult(d.Id, d.Severity)
                .WithSpan(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, span.EndLinePosition.Line + 1, span.EndLinePosition.Character + 1);
        }).ToArray();
    }

    private sealed class Test : CSharpCodeFixTest<MessageTypeAnalyzer, EmptyCodeFixProvider, DefaultVerifier>
    {
        private readonly CodeFixProvider _provider;
        private readonly string _diagnosticId;

        public Test(CodeFixProvider provider, string diagnosticId)
        {
            _provider = provider;
            _diagnosticId = diagnosticId;
            ReferenceAssemblies = TestReferences.Net80;
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => AnalyzerRunner.All;

        protected override IEnumerable<CodeFixProvider> GetCodeFixProviders() => [_provider];

        /// <summary>The assembly name of every test compilation (the generator names AddKafkaTyped's class after it).</summary>
        protected override string DefaultTestProjectName => "TestAssembly";

        protected override CompilationOptions CreateCompilationOptions() => TestCompilation.CompilationOptions;

        protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

        protected override Diagnostic? TrySelectDiagnosticToFix(ImmutableArray<Diagnostic> fixableDiagnostics) =>
            fixableDiagnostics.FirstOrDefault(d => d.Id == _diagnosticId && d.Location.SourceTree?.FilePath.EndsWith("Source0.cs", StringComparison.Ordinal) == true)
            ?? base.TrySelectDiagnosticToFix(fixableDiagnostics);
    }
}
