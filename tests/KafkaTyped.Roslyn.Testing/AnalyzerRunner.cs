using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using KafkaTyped.Analyzers;
using KafkaTyped.Roslyn.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>
/// Runs every KafkaTyped analyzer: <see cref="VerifyAsync(string[])"/> through Microsoft.CodeAnalysis.Testing (markup
/// <c>{|KT0001:…|}</c> gives each expected ID and span), <see cref="RunAsync"/> directly on a compilation for tests that
/// build their own (generator output, referenced assemblies, mutants).
/// </summary>
public static class AnalyzerRunner
{
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } = ImmutableArray.Create<DiagnosticAnalyzer>(
        new MessageTypeAnalyzer(),
        new MessageSetAnalyzer(),
        new HandlerAnalyzer(),
        new SchemaEvolutionAnalyzer(),
        new RegistrationAnalyzer());

    public sealed record Result(ImmutableArray<Diagnostic> AnalyzerDiagnostics, ImmutableArray<Diagnostic> AllDiagnostics, IReadOnlyList<Exception> Exceptions);

    /// <summary>Every analyzer over <paramref name="compilation"/>, analyzer exceptions recorded rather than turned into AD0001 only.</summary>
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
    /// Asserts that the KafkaTyped diagnostics of the sources are exactly those marked up with <c>{|KTnnnn:…|}</c>, by ID
    /// and span, that no analyzer threw (AD0001), and that every message renders with its help link. Compiler
    /// diagnostics are not compared: invalid cases are often invalid C# too.
    /// </summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyAsync(params string[] markupSources) =>
        VerifyAsync(ImmutableArray<AdditionalText>.Empty, markupSources);

    /// <summary>As <see cref="VerifyAsync(string[])"/>, with AdditionalFiles (schema baselines) and MSBuild global options.</summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyAsync(ImmutableArray<AdditionalText> additionalFiles, string[] markupSources, IReadOnlyDictionary<string, string>? globalOptions = null) =>
        RunTestAsync(additionalFiles, markupSources, globalOptions, CompilerDiagnostics.None);

    /// <summary>
    /// As <see cref="VerifyAsync(string[])"/>, in a project that references another project (assembly <c>Contracts</c>)
    /// built from <paramref name="referencedSources"/>.
    /// </summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyWithReferencedProjectAsync(string[] referencedSources, params string[] markupSources) =>
        RunTestAsync(ImmutableArray<AdditionalText>.Empty, markupSources, null, CompilerDiagnostics.None, test =>
        {
            var contracts = new ProjectState("Contracts", LanguageNames.CSharp, "/Contracts/Source", "cs");
            Configure(contracts, referencedSources);
            test.TestState.AdditionalProjects.Add("Contracts", contracts);
            test.TestState.AdditionalProjectReferences.Add("Contracts");
        });

    /// <summary>As <see cref="VerifyAsync(string[])"/>, compiled as an executable (an application, not a library).</summary>
    public static Task<ImmutableArray<Diagnostic>> VerifyExecutableAsync(params string[] markupSources) =>
        RunTestAsync(ImmutableArray<AdditionalText>.Empty, markupSources, null, CompilerDiagnostics.None,
            test => test.TestState.OutputKind = OutputKind.ConsoleApplication);

    /// <summary>Asserts no KafkaTyped diagnostic and no compiler error: a valid case must be both silent and correct C#.</summary>
    public static Task VerifyValidAsync(params string[] sources) =>
        RunTestAsync(ImmutableArray<AdditionalText>.Empty, sources, null, CompilerDiagnostics.Errors);

    private static async Task<ImmutableArray<Diagnostic>> RunTestAsync(
        ImmutableArray<AdditionalText> additionalFiles, string[] markupSources, IReadOnlyDictionary<string, string>? globalOptions, CompilerDiagnostics compilerDiagnostics,
        Action<Test>? configure = null)
    {
        var test = new Test { CompilerDiagnostics = compilerDiagnostics };
        Configure(test.TestState, markupSources, additionalFiles, globalOptions);
        configure?.Invoke(test);
        await test.RunAsync();

        // Every message renders with all its arguments (a missing one would leave "{n}" or throw), with the catalog's help link.
        foreach (var diagnostic in test.Reported)
        {
            var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.DoesNotMatch(@"\{[0-9]\}", message);
            Assert.Equal(DiagnosticDescriptors.HelpLink(diagnostic.Id), diagnostic.Descriptor.HelpLinkUri);
        }

        return test.Reported;
    }

    /// <summary>Fills a test state the way every KafkaTyped test does: sources with <see cref="TestCompilation.Usings"/>, references, files, options.</summary>
    internal static void Configure(SolutionState state, IEnumerable<string> sources, ImmutableArray<AdditionalText> additionalFiles, IReadOnlyDictionary<string, string>? globalOptions, string usings = TestCompilation.Usings)
    {
        Configure(state, sources, usings);
        if (!additionalFiles.IsDefaultOrEmpty)
        {
            foreach (AdditionalText file in additionalFiles)
            {
                state.AdditionalFiles.Add((file.Path, file.GetText()!.ToString()));
            }
        }

        if (globalOptions is { Count: > 0 })
        {
            state.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Concat(globalOptions.Select(o => o.Key + " = " + o.Value + "\n"))));
        }
    }

    internal static void Configure(ProjectState state, IEnumerable<string> sources, string usings = TestCompilation.Usings)
    {
        int i = 0;
        foreach (string source in sources)
        {
            state.Sources.Add(($"Source{i++}.cs", usings + source));
        }

        state.AdditionalReferences.AddRange(TestReferences.KafkaTyped);
    }

    /// <summary>Every KafkaTyped analyzer at once, as in a build; the diagnostics are kept for further assertions.</summary>
    private sealed class Test : CSharpAnalyzerTest<MessageTypeAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.Net80;
            // Several analyzers report KT0001 and KT0003 with one shared descriptor.
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        private bool _captured;

        public ImmutableArray<Diagnostic> Reported { get; private set; } = ImmutableArray<Diagnostic>.Empty;

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => All;

        /// <summary>The assembly name of every test compilation (the generator names AddKafkaTyped's class after it).</summary>
        protected override string DefaultTestProjectName => "TestAssembly";

        protected override CompilationOptions CreateCompilationOptions() => TestCompilation.CompilationOptions;

        protected override ParseOptions CreateParseOptions() => TestCompilation.ParseOptions;

        protected override ImmutableArray<(Project project, Diagnostic diagnostic)> FilterDiagnostics(ImmutableArray<(Project project, Diagnostic diagnostic)> diagnostics)
        {
            // The first pass is the one over the sources as given; later passes (sources marked as generated) are checks of their own.
            var filtered = base.FilterDiagnostics(diagnostics);
            if (_captured)
            {
                return filtered;
            }

            _captured = true;
            Reported = filtered.Select(d => d.diagnostic).Where(d => d.Id.StartsWith("KT", StringComparison.Ordinal)).ToImmutableArray();
            return filtered;
        }
    }
}
