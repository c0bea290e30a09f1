using System.Reflection;
using System.Runtime.CompilerServices;
using KafkaTyped.Roslyn.Diagnostics;
using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>The catalog contract: stable unique IDs, a help link and a documentation page each, release tracking rows.</summary>
public sealed class CatalogTests
{
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in Descriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    [Fact]
    public void IdsAreUniqueAndWellFormed()
    {
        var ids = Descriptors().Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^KT[0-9]{4}$", id));
        var constants = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        Assert.Equal(constants.OrderBy(c => c, StringComparer.Ordinal), ids.OrderBy(c => c, StringComparer.Ordinal));
    }

    [Fact]
    public void EveryAnalyzerDiagnosticIsInTheCatalog()
    {
        // The generator reports the mistakes the compiler would hide (KT0001, KT0107, KT0208): they are in the catalog, not supported by an analyzer.
        var supported = AnalyzerRunner.All.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id)
            .Concat([DiagnosticIds.TypeMustBePartial, DiagnosticIds.CacheValueNotMessage, DiagnosticIds.UnknownCacheOperation]).Distinct().ToList();
        Assert.Equal(Descriptors().Select(d => d.Id).OrderBy(i => i, StringComparer.Ordinal), supported.OrderBy(i => i, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void HasHelpLinkPageAndReleaseRow(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);

        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics", id + ".md"));
        Assert.StartsWith("# " + id + ": ", page, StringComparison.Ordinal);
        foreach (var section in new[] { "## What", "## Why", "## Wrong", "## Right", "## Fix" })
        {
            Assert.Contains(section, page, StringComparison.Ordinal);
        }

        var unshipped = File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "Roslyn", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", unshipped, StringComparison.Ordinal);

        var index = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics", "README.md"));
        Assert.Contains($"[{id}]({id}.md)", index, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDiagnosticHasAPositiveTest()
    {
        var testDirectory = Path.Combine(RepositoryRoot(), "tests", "KafkaTyped.Analyzers.Tests");
        var tests = string.Join("\n", Directory.GetFiles(testDirectory, "*Tests.cs").Select(File.ReadAllText));
        var names = typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .ToDictionary(f => (string)f.GetValue(null)!, f => f.Name);
        var untested = Descriptors()
            .Where(d => !tests.Contains("{|" + d.Id + ":", StringComparison.Ordinal) && !tests.Contains("DiagnosticIds." + names[d.Id], StringComparison.Ordinal))
            .Select(d => d.Id)
            .ToList();
        Assert.Empty(untested);
    }

    [Fact]
    public void CodeFixProvidersAreExportedSharedAndSupportFixAll()
    {
        var providers = typeof(KafkaTyped.CodeFixes.MakePartialCodeFixProvider).Assembly.GetTypes()
            .Where(t => typeof(Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
            .ToList();
        Assert.True(providers.Count >= 6, $"{providers.Count} providers");
        var ids = Descriptors().Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var type in providers)
        {
            var export = type.GetCustomAttribute<Microsoft.CodeAnalysis.CodeFixes.ExportCodeFixProviderAttribute>();
            Assert.NotNull(export);
            Assert.Contains(Microsoft.CodeAnalysis.LanguageNames.CSharp, export!.Languages);
            Assert.NotNull(type.GetCustomAttribute<System.Composition.SharedAttribute>());
            var provider = (Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider)Activator.CreateInstance(type)!;
            Assert.NotNull(provider.GetFixAllProvider());
            Assert.All(provider.FixableDiagnosticIds, id => Assert.Contains(id, ids));
        }
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
