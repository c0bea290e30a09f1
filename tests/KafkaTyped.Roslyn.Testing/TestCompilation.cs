using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>Builds test compilations: one parse-options and one compilation-options instance for every test.</summary>
public static class TestCompilation
{
    /// <summary>One parse-options instance for every tree, the driver and the workspace: mismatched options make every step look modified.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>Usings the analyzer and code-fix cases start with, so they stay short.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using KafkaTyped;

        """;

    public static ImmutableArray<MetadataReference> References => TestReferences.All;

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            CompilationOptions);

    /// <summary>Without Microsoft.Extensions.* (DI, configuration, logging): the generator must leave out the hosting parts.</summary>
    public static CSharpCompilation CreateWithoutHosting(params string[] sources) =>
        Create(sources).WithReferences(References.Where(r => !(r.Display ?? string.Empty).Contains("Microsoft.Extensions.", StringComparison.Ordinal)));
}
