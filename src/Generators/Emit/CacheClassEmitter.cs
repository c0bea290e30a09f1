using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.WiringCode;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>Emits a replicated cache's partial class: its topic constants and constructor (<c>{Cache}.g.cs</c>).</summary>
    internal static class CacheClassEmitter
    {
        public static string EmitCache(CacheModel c) =>
            NamespacedFile(c.Namespace, w =>
            {
                w.Line($"/// <summary>Replicated cache on topic <c>{Xml(c.Topic)}</c> ({c.Partitions} partitions).</summary>");
                w.Line(MessageEmitter.GeneratedCode);
                string name = Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(c.ClassName) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None
                    && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetContextualKeywordKind(c.ClassName) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None ? c.ClassName : "@" + c.ClassName;
                w.Open($"partial class {name}");
                w.Line("/// <summary>The cache's topic, from <c>[ReplicatedCache]</c>.</summary>");
                w.Line($"public const string TopicName = {SourceWriter.Literal(c.Topic)};");
                w.Line();
                w.Line("/// <summary>Partitions the topic is created with, from <c>[ReplicatedCache]</c>.</summary>");
                w.Line($"public const int PartitionCount = {c.Partitions};");
                w.Line();
                w.Line("/// <summary>Creates the cache; <c>AddKafkaTyped</c> registers it as a singleton with its settings.</summary>");
                w.Line($"public {name}(global::KafkaTyped.GeneratedCode.ReplicatedCacheSettings settings, global::Microsoft.Extensions.Logging.ILogger<{c.FullName}>? logger = null)");
                w.Line("    : base(settings, logger)");
                w.Open();
                w.Close();
                w.Line();
                CacheOperationsEmitter.Emit(w, c);
                w.Close();
            });
    }
}
