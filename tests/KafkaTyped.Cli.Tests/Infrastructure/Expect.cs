using System.Text.Json;
using Json.Schema;

namespace KafkaTyped.Cli.Tests.Infrastructure;

/// <summary>Assertions the CLI tests share.</summary>
public static class Expect
{
    private static readonly Lazy<JsonSchema> AsyncApiSchema = new(() => JsonSchema.FromText(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AsyncApi", "asyncapi-3.0.0.schema.json")),
        new BuildOptions { SchemaRegistry = new Json.Schema.SchemaRegistry() }));

    /// <summary>Succeeded (exit 0), else the output explains why.</summary>
    public static CliResult Ok(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Failed with <paramref name="exitCode"/> and exactly one clear line on stderr, no stack trace.</summary>
    public static string OneErrorLine(CliResult result, int exitCode)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}: {result}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines.Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one error line: {result}");
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Exception:", result.Stderr, StringComparison.Ordinal);
        return errors[0];
    }

    /// <summary>The document validates against the AsyncAPI 3.0.0 JSON schema shipped in this project.</summary>
    public static void ValidAsyncApi(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = AsyncApiSchema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var problems = (result.Details ?? [])
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
                .Take(20);
            Assert.Fail("The AsyncAPI document does not validate:\n" + string.Join("\n", problems));
        }
    }
}
