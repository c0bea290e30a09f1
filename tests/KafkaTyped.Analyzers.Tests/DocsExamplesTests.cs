using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// Every <c>docs/diagnostics/KTnnnn.md</c> page's wrong and right examples, each compiled as a small project by a real
/// <c>dotnet build</c> against the packed KafkaTyped package: the wrong one must show exactly its ID, the right one nothing.
/// </summary>
/// <remarks>
/// One restore and one parallel build of all example projects (a generated <c>.slnx</c>), so the whole check costs
/// about one build of the solution. Offline: the package comes from a folder feed, its dependencies from the NuGet cache
/// as a fallback folder, and the restored packages go to a folder of the run (no stale KafkaTyped in the cache).
/// A page may add, in HTML comments, declarations both examples use (<c>&lt;!-- example-context</c>), schema-baseline
/// files (<c>&lt;!-- example-baseline path</c>) and a project only one example references
/// (<c>&lt;!-- example-library wrong Name</c>, for declarations in another assembly); <c>&lt;!-- example-exe --&gt;</c>
/// builds both examples as executables instead of libraries. A <c>proto</c> example is a baseline file itself.
/// </remarks>
public sealed class DocsExamplesTests(DocsExamplesTests.Build build, ITestOutputHelper output) : IClassFixture<DocsExamplesTests.Build>
{
    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var id in AllPages())
        {
            data.Add(id);
        }

        return data;
    }

    private static List<string> AllPages() =>
        Directory.GetFiles(Path.Combine(Build.RepositoryRoot(), "docs", "diagnostics"), "KT*.md")
            .Select(p => Path.GetFileNameWithoutExtension(p)!)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

    [Theory]
    [MemberData(nameof(Pages))]
    public void Wrong_example_shows_exactly_its_id_and_right_example_shows_nothing(string id)
    {
        var wrong = build.Result(id + "-wrong");
        var right = build.Result(id + "-right");
        output.WriteLine("wrong: " + string.Join("\n       ", wrong));
        output.WriteLine("right: " + string.Join("\n       ", right));

        var wrongIds = wrong.Select(Id).Where(d => d.StartsWith("KT", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(wrongIds.SequenceEqual([id]), $"{id}'s wrong example shows {string.Join(", ", wrongIds.DefaultIfEmpty("no KT id"))}:\n{string.Join("\n", wrong)}"
            + (wrong.Count == 0 ? "\n--- build output ---\n" + build.Log[..Math.Min(build.Log.Length, 4000)] : string.Empty));
        Assert.DoesNotContain(wrong, d => Id(d) is "AD0001" or "CS8784" or "CS8785" or "CS8032");
        Assert.True(right.Count == 0, $"{id}'s right example shows:\n{string.Join("\n", right)}");
    }

    private static string Id(string diagnostic) => Regex.Match(diagnostic, @": (?:error|warning) ([A-Z]+[0-9]+):").Groups[1].Value;

    /// <summary>Packs KafkaTyped, writes one project per example and builds them all in one <c>dotnet build</c>.</summary>
    public sealed class Build : IDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "kafkatyped-docs-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<string, List<string>> _diagnostics = new(StringComparer.Ordinal);

        public Build()
        {
            Directory.CreateDirectory(_directory);
            var stopwatch = Stopwatch.StartNew();
            var configuration = typeof(Build).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var feed = Path.Combine(_directory, "feed");
            Run("dotnet", _directory, "pack", Path.Combine(RepositoryRoot(), "src", "Framework", "KafkaTyped.csproj"), "-c", configuration, "--no-build", "-o", feed, "-nologo");
            var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "KafkaTyped.*.nupkg").Single())["KafkaTyped.".Length..];

            WriteRoot(feed, version);
            var projects = new List<string>();
            foreach (var page in Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs", "diagnostics"), "KT*.md"))
            {
                var id = Path.GetFileNameWithoutExtension(page);
                var text = File.ReadAllText(page);
                var blocks = Regex.Matches(text, "```(csharp|proto)\n(.*?)```", RegexOptions.Singleline)
                    .Select(m => new Example(m.Groups[1].Value, m.Groups[2].Value)).ToList();
                var context = Regex.Matches(text, "<!-- example-context\n(.*?)-->", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
                var baselines = Regex.Matches(text, "<!-- example-baseline ([^\n]+)\n(.*?)-->", RegexOptions.Singleline)
                    .Select(m => (Path: m.Groups[1].Value.Trim(), Text: m.Groups[2].Value)).ToList();
                var libraries = Regex.Matches(text, "<!-- example-library (wrong|right) ([A-Za-z]+)\n(.*?)-->", RegexOptions.Singleline)
                    .Select(m => (For: m.Groups[1].Value, Name: m.Groups[2].Value, Text: m.Groups[3].Value)).ToList();
                var executable = text.Contains("<!-- example-exe -->", StringComparison.Ordinal);
                Assert.True(blocks.Count >= 2, $"{id}.md has no wrong and right examples");
                foreach (var (which, example) in new[] { ("wrong", blocks[0]), ("right", blocks[1]) })
                {
                    var references = new List<string>();
                    foreach (var library in libraries.Where(l => l.For == which))
                    {
                        var libraryName = $"{id}-{which}-{library.Name}";
                        projects.Add(WriteProject(libraryName, new Example("csharp", library.Text), [], [], [], executable: false));
                        references.Add(libraryName);
                    }

                    projects.Add(WriteProject($"{id}-{which}", example, context, baselines, references, executable));
                }
            }

            File.WriteAllText(Path.Combine(_directory, "examples.slnx"),
                "<Solution>\n" + string.Concat(projects.Select(p => $"  <Project Path=\"{p}/{p}.csproj\" />\n")) + "</Solution>\n");
            var (_, log) = Run("dotnet", _directory, "build", "examples.slnx", "-nologo", "-clp:NoSummary", "-v:q", "-m", "-p:TreatWarningsAsErrors=false");
            Log = log;
            foreach (var line in log.Split('\n'))
            {
                var match = Regex.Match(line, @"(?:error|warning) [A-Z]+[0-9]+:.*\[(?<project>[^\]]+)\.csproj\]\s*$");
                if (match.Success)
                {
                    var name = Path.GetFileName(match.Groups["project"].Value);
                    if (!_diagnostics.TryGetValue(name, out var list))
                    {
                        _diagnostics[name] = list = [];
                    }

                    var diagnostic = line[..line.LastIndexOf(" [", StringComparison.Ordinal)].Trim().Replace(_directory, string.Empty, StringComparison.Ordinal);
                    if (!list.Contains(diagnostic))
                    {
                        list.Add(diagnostic);
                    }
                }
            }

            Elapsed = stopwatch.Elapsed;
            Console.WriteLine($"docs examples: {projects.Count} projects built in {Elapsed.TotalSeconds:F0} s");
        }

        public TimeSpan Elapsed { get; }

        /// <summary>The build's output, shown when a page fails.</summary>
        public string Log { get; private set; } = string.Empty;

        public List<string> Result(string project) => _diagnostics.TryGetValue(project, out var list) ? list : [];

        public static string RepositoryRoot([CallerFilePath] string path = "") =>
            Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

        public void Dispose()
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A build server may still hold a file for a moment; the temp folder is cleaned by the OS.
            }
        }

        /// <summary>The feed, the offline NuGet.config and empty Directory.* files so nothing of the temp folder's parents applies.</summary>
        private void WriteRoot(string feed, string version)
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
                ? folder
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(_directory, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources><clear /><add key="kafkatyped" value="{feed}" /></packageSources>
                  <fallbackPackageFolders><clear /><add key="cache" value="{cache}" /></fallbackPackageFolders>
                  <config><add key="globalPackagesFolder" value="{Path.Combine(_directory, "packages")}" /></config>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), $"""
                <Project>
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <OutputType>Library</OutputType>
                    <NuGetAudit>false</NuGetAudit>
                    <KafkaTypedVersion>{version}</KafkaTypedVersion>
                  </PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(_directory, "Directory.Packages.props"), "<Project />");
        }

        /// <summary>
        /// A page's example: C# is the project's <c>Example.cs</c>; a <c>.proto</c> example is a schema-baseline file whose
        /// first line names its path (<c>// schemas/shop/orders/order_events.proto</c>).
        /// </summary>
        private sealed record Example(string Language, string Text);

        private string WriteProject(string name, Example example, List<string> context, List<(string Path, string Text)> baselines, List<string> references, bool executable)
        {
            var outputType = executable ? "\n  <PropertyGroup><OutputType>Exe</OutputType></PropertyGroup>" : string.Empty;
            var directory = Path.Combine(_directory, name);
            Directory.CreateDirectory(directory);
            var projectReferences = string.Concat(references.Select(r => $"\n    <ProjectReference Include=\"../{r}/{r}.csproj\" />"));
            File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">{outputType}
                  <ItemGroup>
                    <PackageReference Include="KafkaTyped" Version="$(KafkaTypedVersion)" />
                    <Using Include="KafkaTyped" />
                    <Using Include="KafkaTyped.Cache" />{projectReferences}
                  </ItemGroup>
                </Project>
                """);
            if (example.Language == "proto")
            {
                var path = Regex.Match(example.Text, @"\A// schemas/(\S+\.proto)\n");
                Assert.True(path.Success, $"{name}: a .proto example starts with a comment naming its path: // schemas/<path>.proto");
                baselines = [.. baselines, (path.Groups[1].Value, example.Text)];
            }
            else
            {
                File.WriteAllText(Path.Combine(directory, "Example.cs"), example.Text, new UTF8Encoding(false));
            }
            for (var i = 0; i < context.Count; i++)
            {
                File.WriteAllText(Path.Combine(directory, $"Context{i}.cs"), context[i], new UTF8Encoding(false));
            }

            foreach (var (path, text) in baselines)
            {
                var file = Path.Combine(directory, "schemas", path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, text);
            }

            return name;
        }

        private static (int ExitCode, string Output) Run(string file, string directory, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            var text = stdout.Result + stderr.Result;
            if (arguments[0] == "pack")
            {
                Assert.True(process.ExitCode == 0, text);
            }

            return (process.ExitCode, text);
        }
    }
}
