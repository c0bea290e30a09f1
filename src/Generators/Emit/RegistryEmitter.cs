using System.Collections.Immutable;
using KafkaTyped.Generators.Model;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>Every .proto file and message set of the assembly, as C# expressions, sorted and deduplicated.</summary>
    /// <remarks>Plain strings only, compared by value.</remarks>
    internal sealed record RegistryModel(EquatableArray<string> Files, EquatableArray<string> Sets)
    {
        public static RegistryModel Build(ImmutableArray<MessageModel> messages, ImmutableArray<SetModel> sets, ImmutableArray<CacheModel> caches)
        {
            var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (SetModel s in sets)
            {
                files[s.FileName] = s.FullClassName + ".ProtoFile";
            }

            // A cache's operation set is a message set like the others: exported, and listed with the sets.
            var setExpressions = new List<string>(sets.Select(s => s.FullClassName + ".Instance"));
            foreach (CacheModel c in caches)
            {
                string operations = c.FullName + "." + CacheOperationNames.SetClass;
                if (!files.ContainsKey(c.OperationsFileName))
                {
                    files[c.OperationsFileName] = operations + ".ProtoFile";
                }

                setExpressions.Add(operations + ".Instance");
            }

            foreach (MessageModel m in messages)
            {
                if (!files.ContainsKey(m.FileName))
                {
                    files[m.FileName] = (m.SetClassFullName ?? m.FullTypeName) + ".ProtoFile";
                }
            }

            return new RegistryModel(
                new EquatableArray<string>(files.Values),
                new EquatableArray<string>(setExpressions.Distinct().OrderBy(s => s, StringComparer.Ordinal)));
        }
    }

    /// <summary>Emits <c>KafkaTyped.Generated.ProtoSchemas</c>: the assembly's files (for export) and message sets.</summary>
    internal static class RegistryEmitter
    {
        public const string HintName = "KafkaTyped.Generated.ProtoSchemas.g.cs";

        public static string Emit(RegistryModel model)
        {
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            w.Open("namespace KafkaTyped.Generated");
            w.Line("/// <summary>Every <c>.proto</c> file and message set this assembly declares (export them with <c>ProtoFileExporter</c>).</summary>");
            w.Line(MessageEmitter.GeneratedCode);
            w.Open("internal static class ProtoSchemas");
            w.Line("/// <summary>The assembly's <c>.proto</c> files, ordered by name.</summary>");
            w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::KafkaTyped.GeneratedCode.ProtoFile> Files { get; } = new global::KafkaTyped.GeneratedCode.ProtoFile[]");
            w.Line("{");
            foreach (string f in model.Files)
            {
                w.Line("    " + f + ",");
            }

            w.Line("};");
            w.Line();
            w.Line("/// <summary>The assembly's message sets, ordered by class name.</summary>");
            w.Line("public static global::System.Collections.Generic.IReadOnlyList<global::KafkaTyped.GeneratedCode.MessageSetDefinition> Sets { get; } = new global::KafkaTyped.GeneratedCode.MessageSetDefinition[]");
            w.Line("{");
            foreach (string s in model.Sets)
            {
                w.Line("    " + s + ",");
            }

            w.Line("};");
            w.Line();
            w.Line("/// <summary>Writes every file, with its imports, under <paramref name=\"directory\"/> at its import path; returns the paths written.</summary>");
            w.Line("public static global::System.Collections.Generic.IReadOnlyList<string> Export(string directory) =>");
            w.Line("    global::KafkaTyped.GeneratedCode.ProtoFileExporter.Export(Files, directory);");
            w.Close();
            w.Close();
            return w.ToString();
        }
    }
}
