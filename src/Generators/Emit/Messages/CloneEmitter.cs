using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits <c>IDeepCloneable.Clone</c>: a copy sharing no mutable state with the original.</summary>
    internal static class CloneEmitter
    {
        internal static void Clone(SourceWriter w, MessageModel m)
        {
            w.Open($"{m.FullTypeName} {Deep(m.FullTypeName)}.Clone()");
            w.Line("var clone = this with { };");
            foreach (FieldModel f in m.Fields)
            {
                string me = "this." + f.PropertyName;
                string e = f.Value.ClrType;
                switch (f.Label)
                {
                    case FieldLabel.Singular when f.Value.ClrKind == ClrKind.Message:
                    case FieldLabel.Optional when f.Value.ClrKind == ClrKind.Message:
                        w.Line($"if ({me} is not null) {{ {Assign(f, "clone", $"(({Deep(e)}){me}).Clone()")} }}");
                        break;
                    case FieldLabel.Singular when f.Value.ClrKind == ClrKind.ByteArray:
                    case FieldLabel.Optional when f.Value.ClrKind == ClrKind.ByteArray:
                        w.Line($"if ({me} is not null) {{ {Assign(f, "clone", $"(byte[]){me}.Clone()")} }}");
                        break;
                    case FieldLabel.Repeated:
                        string copy = f.Collection switch
                        {
                            CollectionKind.Array => $"{WireCode.Codec}.CopyArray<{e}>({me})",
                            CollectionKind.ImmutableArray => $"{WireCode.Codec}.CopyImmutable<{e}>({me})",
                            _ => $"{WireCode.Codec}.CopyList<{e}>({me})",
                        };
                        w.Line(Assign(f, "clone", copy));
                        break;
                    case FieldLabel.Map:
                        w.Line(Assign(f, "clone", $"{WireCode.Codec}.CopyMap<{f.Key!.ClrType}, {e}>({me})"));
                        break;
                }
            }

            w.Line("clone._unknownFields = global::Google.Protobuf.UnknownFieldSet.Clone(_unknownFields);");
            w.Line("return clone;");
            w.Close();
            w.Line();
        }
    }
}
