using System.Collections.Immutable;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;



namespace KafkaTyped.Roslyn.Testing;

/// <summary>Runs the generator with step tracking on, and keeps the driver so a second run shows what was cached.</summary>
public sealed class GeneratorRun
{
    private GeneratorRun(GeneratorDriver driver, Compilation input, Compilation output, GeneratorRunResult result)
    {
        Driver = driver;
        Input = input;
        Output = output;
        Result = result;
    }

    public GeneratorDriver Driver { get; }

    public Compilation Input { get; }

    public Compilation Output { get; }

    public GeneratorRunResult Result { get; }

    public ImmutableArray<Diagnostic> OutputDiagnostics { get; private init; }

    public static GeneratorRun Start(Compilation compilation, IReadOnlyDictionary<string, string>? options = null)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new KafkaTypedGenerator().AsSourceGenerator()],
            parseOptions: TestCompilation.ParseOptions,
            optionsProvider: new DictionaryOptionsProvider(options ?? new Dictionary<string, string>()),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return Next(driver, compilation);
    }

    /// <summary>Runs the same driver again over an edited compilation.</summary>
    public GeneratorRun Rerun(Compilation compilation) => Next(Driver, compilation);

    /// <summary>Runs the same driver again with other MSBuild properties (<c>build_property.*</c> global options).</summary>
    public GeneratorRun Rerun(IReadOnlyDictionary<string, string> options) =>
        Next(Driver.WithUpdatedAnalyzerConfigOptions(new DictionaryOptionsProvider(options)), Input);

    private static GeneratorRun Next(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(driver, compilation, output, driver.GetRunResult().Results[0]) { OutputDiagnostics = diagnostics };
    }

    private sealed class DictionaryOptionsProvider(IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;
    }

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}
