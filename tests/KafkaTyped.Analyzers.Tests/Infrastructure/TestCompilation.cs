using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Analyzers.Tests.Infrastructure;

/// <summary>Builds test compilations against .NET 8 reference assemblies and the real KafkaTyped assembly.</summary>
internal static class TestCompilation
{
    /// <summary>One parse-options instance for every tree, the driver and the workspace (mismatches change results).</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    public static readonly ImmutableArray<MetadataReference> References = ReferenceAssemblies.Net80
        .Concat(new MetadataReference[]
        {
            MetadataReference.CreateFromFile(typeof(KafkaMessageAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Confluent.Kafka.Headers).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Google.Protobuf.IMessage).Assembly.Location),
        })
        .ToImmutableArray();

    /// <summary>Usings every test source starts with, so cases stay short.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using KafkaTyped;

        """;

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
            References,
            CompilationOptions);
}
