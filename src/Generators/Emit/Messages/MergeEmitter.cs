using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits <c>MergeFrom(T)</c>: one message merged into another with Protobuf semantics.</summary>
    internal static class MergeEmitter
    {
        internal static void MergeFromMessage(SourceWriter w, MessageModel m)
        {
            w.Line("/// <summary>Merges <paramref name=\"other\"/> into this message with Protobuf semantics (set fields overwrite, repeated fields append, maps merge).</summary>");
            w.Open($"public void MergeFrom({m.FullTypeName}? other)");
            w.Line("if (other is null) { return; }");
            foreach (FieldModel f in m.Fields)
            {
                string o = "other." + f.PropertyName;
                string me = "this." + f.PropertyName;
                ValueModel v = f.Value;
                switch (f.Label)
                {
                    case FieldLabel.Singular when v.ClrKind == ClrKind.Message:
                    case FieldLabel.Optional when v.ClrKind == ClrKind.Message:
                        w.Open($"if ({o} is not null)");
                        w.Line($"var __m = {me} is null ? new {v.ClrType}() : (({Deep(v.ClrType)}){me}).Clone();");
                        w.Line($"__m.MergeFrom({o});");
                        w.Line(Assign(f, "this", "__m"));
                        w.Close();
                        break;
                    case FieldLabel.Singular when IsSecondsNanos(v):
                        // Always present (always written), so always merged: non-zero seconds and nanos overwrite.
                        w.Line(Assign(f, "this", $"{WireCode.Codec}.{MergeSecondsNanosName(v)}({me}, {o})"));
                        break;
                    case FieldLabel.Optional when IsSecondsNanos(v):
                        w.Line($"if ({o}.HasValue) {{ {Assign(f, "this", $"{me}.HasValue ? {WireCode.Codec}.{MergeSecondsNanosName(v)}({me}.GetValueOrDefault(), {o}.GetValueOrDefault()) : {o}")} }}");
                        break;
                    case FieldLabel.Singular when WireCode.NonDefault(v, o) == "true":
                        w.Line(Assign(f, "this", o));
                        break;
                    case FieldLabel.Singular:
                        w.Line($"if ({WireCode.NonDefault(v, o)}) {{ {Assign(f, "this", o)} }}");
                        break;
                    case FieldLabel.Optional:
                        w.Line(f.IsNullableValueType ? $"if ({o}.HasValue) {{ {Assign(f, "this", o)} }}" : $"if ({o} is not null) {{ {Assign(f, "this", o)} }}");
                        break;
                    case FieldLabel.Repeated:
                        w.Line($"if ({HasItems(f, o)}) {{ {Assign(f, "this", Append(f, me, o))} }}");
                        break;
                    case FieldLabel.Map:
                        w.Line($"if ({o} is not null && {o}.Count > 0) {{ {Assign(f, "this", $"{WireCode.Codec}.MergeMap<{f.Key!.ClrType}, {v.ClrType}>({me}, new global::System.Collections.Generic.Dictionary<{f.Key!.ClrType}, {v.ClrType}>({o}))")} }}");
                        break;
                }
            }

            w.Line("_unknownFields = global::Google.Protobuf.UnknownFieldSet.MergeFrom(_unknownFields, other._unknownFields);");
            w.Close();
            w.Line();
        }

        private static string MergeSecondsNanosName(ValueModel v) => v.ClrKind == ClrKind.TimeSpan ? "MergeDuration" : "MergeTimestamp";
    }
}
