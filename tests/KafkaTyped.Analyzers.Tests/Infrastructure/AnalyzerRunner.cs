using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace KafkaTyped.Analyzers.Tests.Infrastructure;

/// <summary>Runs every KafkaTyped analyzer over a compilation and records analyzer exceptions.</summary>
internal static class AnalyzerRunner
{
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
        new MessageTypeAnalyzer(),
        new MessageSetAnalyzer(),
        new HandlerAnalyzer(),
        new SchemaEvolutionAnalyzer());

    public sealed record Result(ImmutableArray<Diagnostic> AnalyzerDiagnostics, ImmutableArray<Diagnostic> AllDiagnostics, IReadOnlyList<Exception> Exceptions);

    public static async Task<Result> RunAsync(Compilation compilation, ImmutableArray<AdditionalText> additionalFiles = default, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(
                additionalFiles.IsDefault ? ImmutableArray<AdditionalText>.Empty : additionalFiles,
                new TestOptionsProvider(globalOptions ?? new Dictionary<string, string>())),
            onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(All, options);
        var all = await withAnalyzers.GetAllDiagnosticsAsync();
        var analyzer = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        return new Result(analyzer, all, exceptions.ToList());
    }

    /// <summary>
    /// Asserts that the KafkaTyped diagnostics of the sources are exactly those marked up with <c>{|KTnnnn:…|}</c>,
    /// by ID and span, and that no analyzer threw.
    /// </summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyAsync(params string[] markupSources) =>
        VerifyAsync(ImmutableArray<AdditionalText>.Empty, markupSources);

    /// <summary>As <see cref="VerifyAsync(string[])"/>, with AdditionalFiles (schema baselines) and MSBuild global options.</summary>
    public static async Task<ImmutableArray<Diagnostic>> VerifyAsync(ImmutableArray<AdditionalText> additionalFiles, string[] markupSources, IReadOnlyDictionary<string, string>? globalOptions = null)
    {
        var sources = new List<string>();
        var expected = new List<ExpectedDiagnostic>();
        for (var i = 0; i < markupSources.Length; i++)
        {
            var (source, marks) = Markup.Parse(TestCompilation.Usings + markupSources[i], i);
            sources.Add(source);
            expected.AddRange(marks);
        }

        var compilation = TestCompilation.Create(sources.ToArray());
        var result = await RunAsync(compilation, additionalFiles, globalOptions);
        Assert.Empty(result.Exceptions);
        Assert.DoesNotContain(result.AllDiagnostics, d => d.Id == "AD0001");

        var actual = result.AnalyzerDiagnostics
            .Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal) && d.Location.IsInSource)
            .Select(d => Describe(d.Id, d.Location.SourceTree is { } tree ? compilation.SyntaxTrees.ToList().IndexOf(tree) : -1, d.Location.SourceSpan, d.Location.SourceTree?.ToString()))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        var wanted = expected
            .Select(e => Describe(e.Id, e.SourceIndex, e.Span, sources[e.SourceIndex]))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(wanted, actual);

        // Every message renders with all its arguments (a missing one would leave "{n}" or throw).
        foreach (var diagnostic in result.AnalyzerDiagnostics)
        {
            var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.DoesNotMatch(@"\{[0-9]\}", message);
            Assert.Equal(DiagnosticDescriptorsHelpLink(diagnostic.Id), diagnostic.Descriptor.HelpLinkUri);
        }

        return result.AnalyzerDiagnostics;
    }

    /// <summary>Asserts no KafkaTyped diagnostic and no compiler error: a valid case must be both silent and correct C#.</summary>
    public static async Task VerifyValidAsync(params string[] sources)
    {
        await VerifyAsync(sources);
        var compilation = TestCompilation.Create(sources.Select(s => TestCompilation.Usings + s).ToArray());
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.Empty(errors);
    }

    private static string DiagnosticDescriptorsHelpLink(string id) => KafkaTyped.Analyzers.Diagnostics.DiagnosticDescriptors.HelpLink(id);

    private static string Describe(string id, int sourceIndex, Microsoft.CodeAnalysis.Text.TextSpan span, string? text) =>
        $"{id} source{sourceIndex} {span} '{(text is null ? "?" : text.Substring(span.Start, span.Length))}'";
}
