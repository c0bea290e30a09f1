using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace KafkaTyped.Analyzers.Tests.Infrastructure;

/// <summary>Applies a code fix through an <see cref="AdhocWorkspace"/>, as an IDE would, and checks the result.</summary>
internal static class CodeFixRunner
{
    /// <summary>
    /// Applies the fix titled <paramref name="title"/> (or the first) to the first <paramref name="diagnosticId"/> in the first source,
    /// asserts the fixed first source equals <paramref name="expected"/>, that the whole project compiles without errors,
    /// and that no KafkaTyped diagnostic remains.
    /// </summary>
    public static async Task VerifyAsync(CodeFixProvider provider, string diagnosticId, string[] sources, string expected, string? title = null, string usings = TestCompilation.Usings, ImmutableArray<AdditionalText> additionalFiles = default)
    {
        using var workspace = new AdhocWorkspace();
        var (project, documents) = CreateProject(workspace, sources, usings);
        var diagnostic = (await AnalyzeAsync(project, additionalFiles)).First(d => d.Id == diagnosticId && d.Location.SourceTree?.FilePath == "Source0.cs");

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(documents[0], diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        Assert.NotEmpty(actions);
        var chosen = title is null ? actions[0] : actions.Single(a => a.Title == title);

        var solution = await ApplyAsync(chosen);
        await AssertFixedAsync(solution, documents[0].Id, usings + expected, additionalFiles);
        Assert.NotNull(provider.GetFixAllProvider());
    }

    /// <summary>Runs the provider's FixAll over the first document for every <paramref name="diagnosticId"/> diagnostic.</summary>
    public static async Task VerifyFixAllAsync(CodeFixProvider provider, string diagnosticId, string[] sources, string expected, string equivalenceKey, ImmutableArray<AdditionalText> additionalFiles = default)
    {
        using var workspace = new AdhocWorkspace();
        var (project, documents) = CreateProject(workspace, sources, TestCompilation.Usings);
        var diagnostics = (await AnalyzeAsync(project, additionalFiles)).Where(d => d.Id == diagnosticId).ToImmutableArray();
        Assert.NotEmpty(diagnostics);

        var fixAll = provider.GetFixAllProvider();
        Assert.NotNull(fixAll);
        var context = new FixAllContext(
            documents[0], provider, FixAllScope.Document, equivalenceKey, new[] { diagnosticId }, new FixedDiagnostics(diagnostics), CancellationToken.None);
        var action = await fixAll!.GetFixAsync(context);
        Assert.NotNull(action);
        var solution = await ApplyAsync(action!);
        await AssertFixedAsync(solution, documents[0].Id, TestCompilation.Usings + expected, additionalFiles);
    }

    private static async Task AssertFixedAsync(Solution solution, DocumentId documentId, string expected, ImmutableArray<AdditionalText> additionalFiles)
    {
        var fixedText = (await solution.GetDocument(documentId)!.GetTextAsync()).ToString();
        Assert.Equal(Normalize(expected), Normalize(fixedText));

        var compilation = (await solution.Projects.Single().GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.Empty(errors);
        var result = await AnalyzerRunner.RunAsync(compilation, additionalFiles);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.AnalyzerDiagnostics.Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal)).Select(d => d.ToString()));
    }

    private static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }

    private static (Project Project, List<Document> Documents) CreateProject(AdhocWorkspace workspace, string[] sources, string usings)
    {
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            "TestProject",
            "TestAssembly",
            LanguageNames.CSharp,
            compilationOptions: TestCompilation.CompilationOptions,
            parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestCompilation.References));
        var ids = new List<DocumentId>();
        for (var i = 0; i < sources.Length; i++)
        {
            var id = DocumentId.CreateNewId(projectId);
            ids.Add(id);
            solution = solution.AddDocument(id, $"Source{i}.cs", SourceText.From(usings + sources[i]), filePath: $"Source{i}.cs");
        }

        Assert.True(workspace.TryApplyChanges(solution));
        var project = workspace.CurrentSolution.GetProject(projectId)!;
        return (project, ids.Select(id => project.GetDocument(id)!).ToList());
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, ImmutableArray<AdditionalText> additionalFiles)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var result = await AnalyzerRunner.RunAsync(compilation, additionalFiles);
        Assert.Empty(result.Exceptions);
        return result.AnalyzerDiagnostics;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
