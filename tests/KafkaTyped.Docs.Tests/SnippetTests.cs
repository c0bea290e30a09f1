using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace KafkaTyped.Docs.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md, the packages' READMEs (src/*/README.md) and docs/*.md compiles, with the
/// KafkaTyped generator run over it, so a renamed API or a wrong constructor call in the documentation fails a test.
/// </summary>
/// <remarks>
/// <para>The blocks of one page form one compilation: type declarations as written, every block's statements as the
/// body of an async method of their own. The statements see <c>services</c> (an <see cref="IServiceProvider"/>),
/// <c>builder</c> (a <c>HostApplicationBuilder</c>), <c>args</c> and <c>cancellationToken</c>; anything else a page's
/// fragments use is declared by the page in an HTML comment, <c>&lt;!-- snippet-context</c> … <c>--&gt;</c> (members of
/// the class holding the snippet methods) and <c>&lt;!-- snippet-types</c> … <c>--&gt;</c> (types). Common usings (KafkaTyped and its namespaces, Microsoft.Extensions.*,
/// Confluent.Kafka, KafkaTyped.Testing, Xunit) are given. The diagnostic pages (docs/diagnostics) are checked by
/// KafkaTyped.Analyzers.Tests' DocsExamplesTests.</para>
/// <para>A block that shows what the generator emits is marked <c>&lt;!-- generated-excerpt Baseline/File.g.cs.txt --&gt;</c>:
/// it is not compiled but compared with that generator baseline (tests/KafkaTyped.Generators.Tests/Baselines), which
/// the generator tests keep byte-exact — see <see cref="Generated_code_excerpts_match_the_generator_baselines"/>.</para>
/// </remarks>
public sealed class SnippetTests
{
    private const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Confluent.Kafka;
        global using KafkaTyped;
        global using KafkaTyped.Cache;
        global using KafkaTyped.Consuming;
        global using KafkaTyped.Embedded;
        global using KafkaTyped.Hosting;
        global using KafkaTyped.Testing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        global using Xunit;

        """;

    private static readonly Regex Block = new(@"^```csharp[ \t]*\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);
    private static readonly Regex Context = new(@"<!--\s*snippet-context\s*\r?\n(?<code>.*?)-->", RegexOptions.Singleline);
    private static readonly Regex ContextTypes = new(@"<!--\s*snippet-types\s*\r?\n(?<code>.*?)-->", RegexOptions.Singleline);
    private static readonly Regex Excerpt = new(@"<!--\s*generated-excerpt\s+(?<file>\S+)\s*-->\s*\r?\n```csharp[ \t]*\r?\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline);

    public static TheoryData<string> Pages()
    {
        var root = RepositoryRoot();
        var pages = new TheoryData<string>();
        foreach (var path in new[] { Path.Combine(root, "README.md") }
                     .Concat(Directory.GetFiles(Path.Combine(root, "src"), "README.md", SearchOption.AllDirectories).Where(p => !p.Contains($"{Path.DirectorySeparatorChar}content{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
                     .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md"))
                     .Where(p => Block.IsMatch(File.ReadAllText(p)))
                     .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
                     .OrderBy(p => p, StringComparer.Ordinal))
        {
            pages.Add(path);
        }

        return pages;
    }

    [Fact]
    public void The_pages_with_snippets_are_found()
    {
        var pages = ((IEnumerable<object[]>)Pages()).Select(row => (string)row[0]).ToList();
        Assert.Contains("README.md", pages);
        Assert.Contains("docs/testing.md", pages);
        Assert.Contains("src/Framework/README.md", pages);
        Assert.Contains("src/Testing/README.md", pages);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_csharp_block_compiles(string page)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), page));
        var types = new StringBuilder();
        var methods = new StringBuilder();
        var usings = new StringBuilder();
        var n = 0;
        var excerpts = Excerpt.Matches(text).Select(m => m.Groups["code"].Index).ToHashSet();
        foreach (Match match in Block.Matches(text))
        {
            n++;
            if (excerpts.Contains(match.Groups["code"].Index))
            {
                continue;
            }

            var line = text[..match.Index].Count(c => c == '\n') + 2;
            var unit = CSharpSyntaxTree.ParseText(match.Groups["code"].Value, TestCompilation.ParseOptions).GetCompilationUnitRoot();
            foreach (var directive in unit.Usings)
            {
                usings.AppendLine(directive.ToFullString().Trim());
            }

            var statements = unit.Members.OfType<GlobalStatementSyntax>().ToList();
            foreach (var member in unit.Members.Where(m => m is not GlobalStatementSyntax))
            {
                types.AppendLine($"#line {line + member.GetLocation().GetLineSpan().StartLinePosition.Line} \"{page}\"");
                types.AppendLine(member.ToFullString().TrimStart('\r', '\n'));
                types.AppendLine("#line default");
            }

            if (statements.Count > 0)
            {
                methods.AppendLine($"    public static async Task Snippet{n}()");
                methods.AppendLine("    {");
                methods.AppendLine($"#line {line + statements[0].GetLocation().GetLineSpan().StartLinePosition.Line} \"{page}\"");
                foreach (var statement in statements)
                {
                    methods.AppendLine(statement.ToFullString().TrimEnd());
                }

                methods.AppendLine("#line default");
                methods.AppendLine("        await Task.CompletedTask;");
                methods.AppendLine("    }");
            }
        }

        var context = string.Join(Environment.NewLine, Context.Matches(text).Select(m => m.Groups["code"].Value));
        var contextTypes = string.Join(Environment.NewLine, ContextTypes.Matches(text).Select(m => m.Groups["code"].Value));
        var source = $$"""
            {{usings}}
            {{types}}
            {{contextTypes}}
            #pragma warning disable CS0162, CS0168, CS0219, CS1998, CS8321, CS8618, CS0649
            internal static partial class Snippets
            {
                private static IServiceProvider services = null!;
                private static HostApplicationBuilder builder = null!;
                private static string[] args = [];
                private static CancellationToken cancellationToken = default;
            {{context}}
            {{methods}}
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Snippets",
            [CSharpSyntaxTree.ParseText(Usings, TestCompilation.ParseOptions, path: "Usings.cs"), CSharpSyntaxTree.ParseText(source, TestCompilation.ParseOptions, path: page + ".cs")],
            References.Value,
            TestCompilation.CompilationOptions);
        var run = GeneratorRun.Start(compilation);
        var errors = run.Output.GetDiagnostics().Concat(run.OutputDiagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.ToString())
            .Distinct()
            .ToList();

        Assert.True(errors.Count == 0, $"{page}: {errors.Count} compile error(s) in its csharp blocks:\n{string.Join('\n', errors)}\n\n--- compiled as\n{source}");
    }

    public static TheoryData<string> PagesWithExcerpts()
    {
        var pages = new TheoryData<string>();
        var root = RepositoryRoot();
        foreach (var path in Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Where(p => Excerpt.IsMatch(File.ReadAllText(p))).Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(root, path).Replace('\\', '/'));
        }

        return pages;
    }

    [Fact]
    public void Pages_with_generated_code_excerpts_are_found() =>
        Assert.Contains("docs/producing-and-consuming.md", ((IEnumerable<object[]>)PagesWithExcerpts()).Select(row => (string)row[0]));

    /// <summary>
    /// Each generated-code excerpt, split at its elision lines (<c>// ...</c>), appears piece by piece in its baseline,
    /// compared without <c>global::</c>, namespace and type qualifiers, comments and line breaks (the excerpt may
    /// shorten names and wrap lines, not change code).
    /// </summary>
    [Theory]
    [MemberData(nameof(PagesWithExcerpts))]
    public void Generated_code_excerpts_match_the_generator_baselines(string page)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), page));
        foreach (Match match in Excerpt.Matches(text))
        {
            var file = Path.Combine(RepositoryRoot(), "tests", "KafkaTyped.Generators.Tests", "Baselines", match.Groups["file"].Value);
            Assert.True(File.Exists(file), $"{page}: the excerpt names '{match.Groups["file"].Value}', which is not a generator baseline");
            var baseline = Normalize(File.ReadAllText(file));
            var pieces = Regex.Split(match.Groups["code"].Value, @"^[ \t]*//[ \t]*\.\.\..*$", RegexOptions.Multiline)
                .Select(Normalize)
                .Where(piece => piece.Length > 0);
            foreach (var piece in pieces)
            {
                Assert.True(baseline.Contains(piece, StringComparison.Ordinal),
                    $"{page}: this part of the excerpt of {match.Groups["file"].Value} is not what the generator emits:\n{piece}\n--- baseline (normalized)\n{baseline}");
            }
        }
    }

    private static string Normalize(string code)
    {
        code = Regex.Replace(code, @"//.*$", string.Empty, RegexOptions.Multiline);
        code = code.Replace("global::", string.Empty, StringComparison.Ordinal);
        code = Regex.Replace(code, @"\b(?:[A-Za-z_][A-Za-z0-9_]*\.)+(?=[A-Za-z_][A-Za-z0-9_]*)", string.Empty);
        code = Regex.Replace(code, @"^\s*\[System\.CodeDom\.Compiler\.GeneratedCode\(.*$|^\s*\[GeneratedCode\(.*$", string.Empty, RegexOptions.Multiline);
        return Regex.Replace(code, @"\s+", " ").Trim();
    }

    /// <summary>
    /// What this test runs on: the shared framework's assemblies and every managed assembly of this test (KafkaTyped,
    /// KafkaTyped.Testing, KafkaTyped.SchemaRegistry.Confluent, Microsoft.Extensions.*, Confluent.Kafka, xunit), all of .NET 10.
    /// </summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(p => !Path.GetFileName(p).StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("testhost", StringComparison.Ordinal)
                && !Path.GetFileName(p).StartsWith("KafkaTyped.Docs.Tests", StringComparison.Ordinal))
            .Where(IsManaged)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))]);

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
