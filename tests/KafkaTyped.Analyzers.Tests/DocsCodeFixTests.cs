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
/// really does. Pages whose examples need schema-baseline files (KT0302, KT0306) are covered by CodeFixTests instead.
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
            if (row.Groups["fix"].Value.Length > 0 && !File.ReadAllText(Path.Combine(DocsDirectory(), id + ".md")).Contains("<!-- example-baseline", StringComparison.Ordinal)
                && !Regex.IsMatch(File.ReadAllText(Path.Combine(DocsDirectory(), id + ".md")), "```proto"))
            {
                data.Add(id);
            }
        }

        return data;
    }

    [Fact]
    public void Pages_with_code_fixes_are_found() =>
        Assert.Contains("KT0010", ((IEnumerable<object[]>)PagesWithFixes()).Select(row => (string)row[0]));

    [Theory]
    [MemberData(nameof(PagesWithFixes))]
    public Task The_code_fix_turns_the_wrong_example_into_the_right_one(string id)
    {
        var text = File.ReadAllText(Path.Combine(DocsDirectory(), id + ".md"));
        var blocks = Regex.Matches(text, "```csharp\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        var context = Regex.Matches(text, "<!-- example-context\n(.*?)-->", RegexOptions.Singleline).Select(m => m.Groups[1].Value);
        var provider = Providers().Single(p => p.FixableDiagnosticIds.Contains(id));
        return CodeFixRunner.VerifyAsync(provider, id, [blocks[0], .. context], blocks[1], usings: Usings);
    }

    private static IEnumerable<CodeFixProvider> Providers() =>
        typeof(KafkaTypedCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    private static string DocsDirectory([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "docs", "diagnostics"));
}
