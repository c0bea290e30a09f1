using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using KafkaTyped.CodeFixes;
using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis.CodeFixes;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// Each diagnostics page that names a code fix (the "Code fix" column of docs/diagnostics/README.md): the fix, applied to
/// the page's wrong example as an IDE applies it, gives exactly the page's right example — so the page shows what the fix
/// really does. A page's schema-baseline files (<c>&lt;!-- example-baseline path</c>) are passed as the committed baseline.
/// </summary>
public sealed class DocsCodeFixTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using KafkaTyped;
        using KafkaTyped.Cache;

        """;

    public static TheoryData<string> PagesWithFixes()
    {
        var data = new TheoryData<string>();
        foreach (Match row in Regex.Matches(File.ReadAllText(Path.Combine(DocsDirectory(), "README.md")), @"^\| \[(?<id>KT\d{4})\]\([^)]*\) \|[^|]*\|[^|]*\| *(?<fix>[^|]*?) *\|$", RegexOptions.Multiline))
        {
            var id = row.Groups["id"].Value;
            if (row.Groups["fix"].Value.Length > 0)
            {
                data.Add(id);
            }
        }

        return data;
    }

    [Fact]
    public void Pages_with_code_fixes_are_found()
    {
        var pages = ((IEnumerable<object[]>)PagesWithFixes()).Select(row => (string)row[0]).ToList();
        Assert.Contains("KT0010", pages);
        Assert.Contains("KT0302", pages);
    }

    [Theory]
    [MemberData(nameof(PagesWithFixes))]
    public Task The_code_fix_turns_the_wrong_example_into_the_right_one(string id)
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory(), id + ".md"));
        var blocks = Regex.Matches(text, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        var context = Regex.Matches(text, "<!-- example-context\n(.*?)-->", RegexOptions.Singleline).Select(m => m.Groups[1].Value);
        var baselines = Regex.Matches(text, "<!-- example-baseline ([^\n]+)\n(.*?)-->", RegexOptions.Singleline)
            .Select(m => ("/repo/schemas/" + m.Groups[1].Value.Trim(), m.Groups[2].Value))
            .ToArray();
        var provider = Providers().Single(p => p.FixableDiagnosticIds.Contains(id));
        return CodeFixRunner.VerifyAsync(
            provider, id, [blocks[0], .. context], blocks[1], usings: Usings,
            additionalFiles: baselines.Length == 0 ? default : InMemoryAdditionalText.Files(baselines),
            // Schema-evolution rules compare whole sets at compilation end (non-local diagnostics); IDEs still offer their fixes.
            behaviors: id.StartsWith("KT03", StringComparison.Ordinal) ? Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck : default);
    }

    private static IEnumerable<CodeFixProvider> Providers() =>
        typeof(KafkaTypedCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    private static string DocsDirectory([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "docs", "diagnostics"));
}
