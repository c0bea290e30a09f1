using System.Runtime.CompilerServices;
using System.Text;
using KafkaTyped.Generators;
using Microsoft.CodeAnalysis;

namespace KafkaTyped.Roslyn.Testing;

/// <summary>
/// Hand-rolled snapshots: Baselines/&lt;Test&gt;/&lt;HintName&gt;.txt, line endings normalized, the generator version as
/// %VERSION%. KAFKATYPED_UPDATE_BASELINES=1 rewrites them.
/// </summary>
public static class Baselines
{
    public static void Verify(GeneratorRunResult result, [CallerMemberName] string test = "", [CallerFilePath] string callerPath = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Baselines", test);
        string version = typeof(KafkaTypedGenerator).Assembly.GetName().Version!.ToString();
        var actual = result.GeneratedSources.ToDictionary(
            s => s.HintName + ".txt",
            s => s.SourceText.ToString().ReplaceLineEndings("\n").Replace(version, "%VERSION%", StringComparison.Ordinal));

        if (Environment.GetEnvironmentVariable("KAFKATYPED_UPDATE_BASELINES") == "1")
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            foreach ((string name, string text) in actual)
            {
                File.WriteAllText(Path.Combine(folder, name), text, new UTF8Encoding(false));
            }
        }

        string[] expectedNames = Directory.Exists(folder) ? Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).OrderBy(n => n, StringComparer.Ordinal).ToArray() : [];
        Assert.True(expectedNames.Length > 0, $"No baselines in {folder}; run with KAFKATYPED_UPDATE_BASELINES=1.");
        Assert.Equal(expectedNames, actual.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray());
        foreach (string name in expectedNames)
        {
            string expected = File.ReadAllText(Path.Combine(folder, name)).ReplaceLineEndings("\n");
            string text = actual[name];
            if (expected != text)
            {
                string[] e = expected.Split('\n');
                string[] a = text.Split('\n');
                int line = 0;
                while (line < e.Length && line < a.Length && e[line] == a[line])
                {
                    line++;
                }

                Assert.Fail($"{name} differs at line {line + 1}:\n expected: {(line < e.Length ? e[line] : "<end>")}\n actual:   {(line < a.Length ? a[line] : "<end>")}\n(KAFKATYPED_UPDATE_BASELINES=1 rewrites baselines)");
            }
        }
    }
}
