using System.Collections.Immutable;
using System.Text;
using KafkaTyped.Roslyn.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace KafkaTyped.Analyzers.Tests;

/// <summary>
/// A realistic-size project (200 messages in 20 sets, 20 consumer groups, a baseline for every set) stays free of false
/// positives. Each analyzer's execution time is printed for information only: Roslyn binds attributes and members lazily,
/// so that cost lands on whichever analyzer touches a symbol first, and timing belongs in benchmarks, not assertions.
/// </summary>
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHundredMessagesProduceNoFalsePositives()
    {
        var source = new StringBuilder(TestCompilation.Usings).AppendLine("namespace Shop.Scale {");
        var protos = new List<(string Path, string Text)>();
        for (var set = 0; set < 20; set++)
        {
            source.AppendLine($"[Topic(\"scale-{set}\", Partitions = 6)] public partial interface IScale{set}Events {{ }}");
            var proto = new StringBuilder("syntax = \"proto3\";\npackage shop.scale;\n");
            var handles = new List<string>();
            for (var m = 0; m < 10; m++)
            {
                var name = $"Event{set}x{m}";
                handles.Add(name);
                source.AppendLine($"[KafkaMessage] public sealed partial record {name}([Field(1), Key] string Id, [Field(2)] long Amount, [Field(3)] List<string> Tags, [Field(4)] DateTimeOffset At) : IScale{set}Events;");
                proto.AppendLine($"message {name} {{ string id = 1; int64 amount = 2; repeated string tags = 3; google.protobuf.Timestamp at = 4; }}");
            }

            protos.Add(($"/repo/schemas/shop/scale/scale{set}_events.proto", proto.ToString()));
            source.AppendLine($"[ConsumerGroup(\"group-{set}\")] public sealed partial class Group{set} : {string.Join(", ", handles.Select(h => $"IHandle<{h}>"))} {{");
            foreach (var handled in handles)
            {
                source.AppendLine($"  public async ValueTask HandleAsync({handled} m, MessageContext c, CancellationToken t) {{ await Task.Yield(); }}");
            }

            source.AppendLine("}");
        }

        source.AppendLine("}");
        var compilation = TestCompilation.Create(source.ToString());

        // The first pass also binds the compilation (attributes, members) lazily; the second one shows analyzer cost alone.
        await AnalyzerRunner.RunAsync(compilation, InMemoryAdditionalText.Files(protos.ToArray()));
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(InMemoryAdditionalText.Files(protos.ToArray()), new TestOptionsProvider(new Dictionary<string, string>())),
            onAnalyzerException: null,
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(AnalyzerRunner.All, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics.Select(d => d.ToString()));

        foreach (var analyzer in AnalyzerRunner.All)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            output.WriteLine($"{analyzer.GetType().Name}: {telemetry.ExecutionTime.TotalMilliseconds:F1} ms over 200 messages, 20 sets, 20 groups (bound compilation)");
        }
    }
}
