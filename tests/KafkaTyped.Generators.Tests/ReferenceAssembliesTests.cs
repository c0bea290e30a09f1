using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace KafkaTyped.Generators.Tests;

/// <summary>The test compilations' reference assemblies come from the NuGet cache only: nothing is downloaded at test time.</summary>
public sealed class ReferenceAssembliesTests
{
    [Fact]
    public async Task The_restored_targeting_pack_resolves()
    {
        var references = await TestReferences.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        Assert.Contains(references, r => Path.GetFileName(r.Display) == "System.Runtime.dll");
        // Microsoft.CodeAnalysis.Testing copies the pack out of the NuGet cache into its own folder; the version is the restored one.
        Assert.True(Directory.Exists(Path.Combine(NuGetCache(), "microsoft.netcore.app.ref", TestReferences.Net80.ReferenceAssemblyPackage!.Version.ToString())));
        Assert.All(references, r => Assert.Contains("Microsoft.NETCore.App.Ref." + TestReferences.Net80.ReferenceAssemblyPackage!.Version, r.Display, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pack_missing_from_the_cache_fails_instead_of_downloading()
    {
        // A version the SDK never restores here: with no package source configured, resolving it must fail.
        var missing = new ReferenceAssemblies("net8.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.0-kafkatyped.missing"), Path.Combine("ref", "net8.0"))
            .WithNuGetConfigFilePath(TestReferences.OfflineNuGetConfigPath);
        await Assert.ThrowsAnyAsync<Exception>(() => missing.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));
    }

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? Path.GetFullPath(folder)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
