using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace KafkaTyped.Generators.Tests.Harness;

/// <summary>Builds test compilations from .NET 8 reference assemblies plus KafkaTyped and Google.Protobuf.</summary>
internal static class TestCompilation
{
    /// <summary>One parse-options instance for ParseText and the driver: mismatched options make every step look modified.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net80.References.All,
        MetadataReference.CreateFromFile(typeof(KafkaMessageAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Google.Protobuf.IMessage).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Confluent.Kafka.IProducer<,>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Configuration.IConfiguration).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger<>).Assembly.Location),
    ];

    /// <summary>Without Microsoft.Extensions.* (DI, configuration, logging): the generator must leave out the hosting parts.</summary>
    public static CSharpCompilation CreateWithoutHosting(params string[] sources) =>
        Create(sources).WithReferences(References.Where(r => !(r.Display ?? string.Empty).Contains("Microsoft.Extensions.", StringComparison.Ordinal)));

    public static CSharpCompilation Create(params string[] sources) =>
        CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
}
