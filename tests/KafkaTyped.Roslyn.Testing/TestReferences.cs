using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>
/// What every test compilation references: the .NET 8 reference assemblies and the assemblies a KafkaTyped
/// application compiles against (KafkaTyped, Confluent.Kafka, Google.Protobuf, Microsoft.Extensions.*).
/// </summary>
/// <remarks>
/// The reference assemblies are the targeting pack this harness was restored with (<c>Microsoft.NETCore.App.Ref</c> of
/// the version the SDK picked, compiled into <c>[AssemblyMetadata]</c> by the project file). Microsoft.CodeAnalysis.Testing
/// resolves it from the NuGet cache through a NuGet.config without sources, so a pack that is not there fails the test
/// instead of being downloaded (CI has no network but the package source). <c>ReferenceAssemblies.Net.Net80</c> would
/// name another patch version and download it.
/// </remarks>
public static class TestReferences
{
    /// <summary>A NuGet.config with no package source: the global packages folder is the only place a pack can come from.</summary>
    public static string OfflineNuGetConfigPath { get; } = OfflineNuGetConfig();

    /// <summary>The .NET 8 targeting pack restored with this project, resolved offline.</summary>
    public static ReferenceAssemblies Net80 { get; } = new ReferenceAssemblies(
            "net8.0",
            new PackageIdentity(Metadata("TargetingPackId"), Metadata("TargetingPackVersion")),
            Path.Combine("ref", "net8.0"))
        .WithNuGetConfigFilePath(OfflineNuGetConfigPath);

    // After Net80: static initializers run in order.
    private static readonly Lazy<ImmutableArray<MetadataReference>> ResolvedFramework = new(
        () => Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).GetAwaiter().GetResult());

    /// <summary>KafkaTyped and the packages its generated code compiles against, hosting included.</summary>
    public static ImmutableArray<MetadataReference> KafkaTyped { get; } =
    [
        MetadataReference.CreateFromFile(typeof(KafkaMessageAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Google.Protobuf.IMessage).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Confluent.Kafka.IProducer<,>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Configuration.IConfiguration).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger<>).Assembly.Location),
    ];

    /// <summary>The framework reference assemblies as metadata references, for compilations built without the test framework.</summary>
    public static ImmutableArray<MetadataReference> Framework => ResolvedFramework.Value;

    /// <summary>Framework plus <see cref="KafkaTyped"/>.</summary>
    public static ImmutableArray<MetadataReference> All => [.. Framework, .. KafkaTyped];

    private static string Metadata(string key) =>
        typeof(TestReferences).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key) is { Value: { Length: > 0 } value }
            ? value
            : throw new InvalidOperationException($"[AssemblyMetadata(\"{key}\")] is missing: the harness project did not resolve its targeting pack.");

    private static string OfflineNuGetConfig()
    {
        string directory = Path.Combine(Path.GetTempPath(), "kafkatyped-offline-nuget");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "NuGet.config");
        const string Text = """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
              </packageSources>
            </configuration>
            """;
        if (!File.Exists(path) || File.ReadAllText(path) != Text)
        {
            File.WriteAllText(path, Text);
        }

        return path;
    }
}
