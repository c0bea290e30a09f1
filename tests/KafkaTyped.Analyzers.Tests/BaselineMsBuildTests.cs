using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// The MSBuild side of the schema baseline, end to end with the real SDK: KafkaTyped.props passes
/// <c>schemas/**/*.proto</c> to the analyzers (a breaking change fails the build with KT0302), and
/// <c>-p:KafkaTypedUpdateSchemaBaseline=true</c> builds without the check and copies the exported files over the baseline.
/// </summary>
public sealed class BaselineMsBuildTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "kafkatyped-baseline-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task BreakingChangeFailsTheBuildAndTheUpdatePropertyRewritesTheBaseline()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "schemas", "shop"));
        Directory.CreateDirectory(Path.Combine(_directory, "export", "shop"));
        // No generator here: the pre-written export folder stands in for the export, so only the update target is under test.
        WriteProject(
            "<KafkaTypedProtoExportDir>$(MSBuildProjectDirectory)/export</KafkaTypedProtoExportDir>",
            $"<Analyzer Include=\"{typeof(MessageTypeAnalyzer).Assembly.Location}\" />",
            // The analyzers' dependencies: the compiler loads them only from analyzer references.
            $"<Analyzer Include=\"{typeof(KafkaTyped.Roslyn.KnownNames).Assembly.Location}\" />",
            $"<Analyzer Include=\"{Path.Combine(Path.GetDirectoryName(typeof(MessageTypeAnalyzer).Assembly.Location)!, "KafkaTyped.SchemaModel.dll")}\" />");
        File.WriteAllText(Path.Combine(_directory, "Order.cs"), """
            using KafkaTyped;
            namespace Shop;

            [KafkaMessage]
            public sealed partial record Order([Field(1)] string Id);
            """);
        var baseline = Path.Combine(_directory, "schemas", "shop", "order.proto");
        File.WriteAllText(baseline, "syntax = \"proto3\";\npackage shop;\nmessage Order { string id = 1; int64 amount = 2; }\n");
        const string Exported = "syntax = \"proto3\";\npackage shop;\nmessage Order { reserved 2; reserved \"amount\"; string id = 1; }\n";
        File.WriteAllText(Path.Combine(_directory, "export", "shop", "order.proto"), Exported);

        var (failed, failedOutput) = await BuildAsync();
        Assert.NotEqual(0, failed);
        Assert.Contains("error KT0302", failedOutput, StringComparison.Ordinal);

        var (updated, updatedOutput) = await BuildAsync("-p:KafkaTypedUpdateSchemaBaseline=true");
        Assert.True(updated == 0, updatedOutput);
        Assert.Equal(Exported, File.ReadAllText(baseline));
    }

    /// <summary>
    /// The whole loop with the real generator: the build exports the generated .proto files, the update property writes
    /// them as the baseline, the next build is clean against it, and removing a field then fails the build with KT0302.
    /// </summary>
    [Fact]
    public async Task BuildExportsTheGeneratedProtoFilesAndTheUpdateMakesThemTheBaseline()
    {
        Directory.CreateDirectory(_directory);
        WriteProject(
            string.Empty,
            $"<Reference Include=\"{typeof(Google.Protobuf.IMessage).Assembly.Location}\" />",
            $"<Reference Include=\"{typeof(Confluent.Kafka.IProducer<,>).Assembly.Location}\" />",
            $"<Analyzer Include=\"{typeof(KafkaTyped.Generators.KafkaTypedGenerator).Assembly.Location}\" />",
            $"<Analyzer Include=\"{typeof(MessageTypeAnalyzer).Assembly.Location}\" />",
            // The analyzers' dependencies: the compiler loads them only from analyzer references.
            $"<Analyzer Include=\"{typeof(KafkaTyped.Roslyn.KnownNames).Assembly.Location}\" />",
            $"<Analyzer Include=\"{Path.Combine(Path.GetDirectoryName(typeof(MessageTypeAnalyzer).Assembly.Location)!, "KafkaTyped.SchemaModel.dll")}\" />");
        const string Source = """
            using KafkaTyped;
            namespace Shop;

            [Topic("orders")]
            public partial interface IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string Id, [Field(2)] long Amount, [Field(3)] Money Total) : IOrderEvents;

            [KafkaMessage]
            public sealed partial record Money([Field(1)] string Currency, [Field(2)] long Units);
            """;
        File.WriteAllText(Path.Combine(_directory, "Order.cs"), Source);

        // Export only: an explicit folder receives the set's file and the value object's file it imports.
        var (exported, exportOutput) = await BuildAsync("-p:KafkaTypedProtoExportDir=" + Path.Combine(_directory, "export"));
        Assert.True(exported == 0, exportOutput);
        var setFile = File.ReadAllText(Path.Combine(_directory, "export", "shop", "order_events.proto"));
        Assert.Contains("message OrderPlaced", setFile, StringComparison.Ordinal);
        Assert.Contains("int64 amount = 2;", setFile, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "export", "shop", "money.proto")));

        // Update: the baseline folder gets exactly the exported files.
        var (updated, updateOutput) = await BuildAsync("-p:KafkaTypedUpdateSchemaBaseline=true");
        Assert.True(updated == 0, updateOutput);
        var baseline = Path.Combine(_directory, "schemas", "shop", "order_events.proto");
        Assert.Equal(setFile, File.ReadAllText(baseline));

        // Unchanged code builds clean against it; dropping a field without [Reserved] breaks the build.
        var (clean, cleanOutput) = await BuildAsync();
        Assert.True(clean == 0, cleanOutput);
        Assert.DoesNotContain("KT03", cleanOutput, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_directory, "Order.cs"), Source.Replace(", [Field(2)] long Amount", string.Empty, StringComparison.Ordinal));
        var (broken, brokenOutput) = await BuildAsync();
        Assert.NotEqual(0, broken);
        Assert.Contains("error KT0302", brokenOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>-p:KafkaTypedAsyncApiFile</c>: the build writes the AsyncAPI document of the built assembly (the same builder as
    /// <c>kafkatyped schemas export --asyncapi</c>, whose output the CLI tests validate against the official schema).
    /// </summary>
    [Fact]
    public async Task The_build_writes_the_AsyncAPI_document_of_topics_keys_and_consumer_groups()
    {
        Directory.CreateDirectory(_directory);
        // What the runtime needs to load its types at build time, as a package reference would copy it.
        var runtimeDirectory = Path.GetDirectoryName(typeof(KafkaMessageAttribute).Assembly.Location)!;
        var dependencies = Directory.GetFiles(runtimeDirectory, "Microsoft.Extensions.*.dll")
            .Concat(Directory.GetFiles(runtimeDirectory, "Polly*.dll"))
            .Concat(Directory.GetFiles(runtimeDirectory, "KafkaTyped.*.dll").Where(p => Path.GetFileName(p) is "KafkaTyped.SchemaModel.dll" or "KafkaTyped.Embedded.dll"))
            .Select(p => $"<Reference Include=\"{p}\" />");
        WriteProject(
            string.Empty,
            [
                $"<Reference Include=\"{typeof(Google.Protobuf.IMessage).Assembly.Location}\" />",
                $"<Reference Include=\"{typeof(Confluent.Kafka.IProducer<,>).Assembly.Location}\" />",
                $"<Analyzer Include=\"{typeof(KafkaTyped.Generators.KafkaTypedGenerator).Assembly.Location}\" />",
                $"<Analyzer Include=\"{typeof(KafkaTyped.Roslyn.KnownNames).Assembly.Location}\" />",
                $"<Analyzer Include=\"{Path.Combine(Path.GetDirectoryName(typeof(MessageTypeAnalyzer).Assembly.Location)!, "KafkaTyped.SchemaModel.dll")}\" />",
                .. dependencies,
            ]);
        File.WriteAllText(Path.Combine(_directory, "Order.cs"), """
            using KafkaTyped;
            namespace Shop;

            [Topic("orders", Partitions = 3)]
            public partial interface IOrderEvents;

            [KafkaMessage]
            public sealed partial record OrderPlaced([Field(1), Key] string Id, [Field(2)] long Amount) : IOrderEvents;

            [ConsumerGroup("billing")]
            public sealed partial class Billing : IHandle<OrderPlaced>
            {
                public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

        var path = Path.Combine(_directory, "docs", "asyncapi.json");
        var (built, output) = await BuildAsync("-p:KafkaTypedAsyncApiFile=" + path);
        Assert.True(built == 0, output);
        var document = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("3.0.0", document["asyncapi"]!.GetValue<string>());
        Assert.Equal("App", document["info"]!["title"]!.GetValue<string>());
        var orders = document["channels"]!["orders"]!;
        Assert.Equal(3, orders["bindings"]!["kafka"]!["partitions"]!.GetValue<int>());
        Assert.NotNull(orders["messages"]!["OrderPlaced"]);
        Assert.NotNull(document["channels"]!["orders.dlq"]);
        Assert.Equal("receive", document["operations"]!["billing_receive_orders"]!["action"]!.GetValue<string>());
        Assert.NotNull(document["operations"]!["send_orders"]);
        var placed = document["components"]!["messages"]!.AsObject().Single(m => m.Key.EndsWith("OrderPlaced", StringComparison.Ordinal)).Value!;
        Assert.NotNull(placed["bindings"]!["kafka"]!["key"]);
    }

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

    /// <summary>A net10.0 project importing KafkaTyped.props and referencing KafkaTyped, plus the given items.</summary>
    private void WriteProject(string properties, params string[] items)
    {
        // Empty Directory.*.props stop MSBuild from climbing into whatever repository holds the temp folder.
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(_directory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{Path.Combine(RepositoryRoot(), "src", "Framework", "build", "KafkaTyped.props")}" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="{typeof(KafkaMessageAttribute).Assembly.Location}" />
                {string.Join("\n    ", items)}
              </ItemGroup>
            </Project>
            """);
    }

    private async Task<(int ExitCode, string Output)> BuildAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "build", "-nologo", "-p:UseSharedCompilation=false", "-nodeReuse:false" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout + await stderr;
        output.WriteLine(text);
        return (process.ExitCode, text);
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
