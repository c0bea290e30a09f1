using System.Globalization;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits the scratch entry messages the parser reads map fields through.</summary>
    internal static class MapEntryEmitter
    {
        internal static void MapEntries(SourceWriter w, MessageModel m)
        {
            for (int i = 0; i < m.Fields.Count; i++)
            {
                FieldModel f = m.Fields[i];
                if (f.Label != FieldLabel.Map)
                {
                    continue;
                }

                ValueModel k = f.Key!;
                ValueModel v = f.Value;
                string keyTag = WireCode.Tag(1, WireCode.WireType(k)).ToString(CultureInfo.InvariantCulture);
                string valueTag = WireCode.Tag(2, WireCode.WireType(v)).ToString(CultureInfo.InvariantCulture);
                w.Line("/// <summary>A scratch message for one map entry while parsing; ParseContext reads sub-messages only through an IMessage.</summary>");
                w.Open($"private sealed class __Entry{i} : global::Google.Protobuf.IBufferMessage");
                w.Line($"public {k.ClrType} Key = {WireCode.EntryDefault(k)};");
                w.Line($"public {v.ClrType} Value = {WireCode.EntryDefault(v)};");
                w.Line($"public void Reset() {{ Key = {WireCode.EntryDefault(k)}; Value = {WireCode.EntryDefault(v)}; }}");
                w.Line($"public global::Google.Protobuf.Reflection.MessageDescriptor Descriptor => {m.FullTypeName}.Descriptor.NestedTypes[{MapIndex(m, i)}];");
                w.Line("public int CalculateSize() => throw new global::System.NotSupportedException();");
                w.Line("public void MergeFrom(global::Google.Protobuf.CodedInputStream input) => input.ReadRawMessage(this);");
                w.Line("public void WriteTo(global::Google.Protobuf.CodedOutputStream output) => throw new global::System.NotSupportedException();");
                w.Line("void global::Google.Protobuf.IBufferMessage.InternalWriteTo(ref global::Google.Protobuf.WriteContext output) => throw new global::System.NotSupportedException();");
                w.Open("void global::Google.Protobuf.IBufferMessage.InternalMergeFrom(ref global::Google.Protobuf.ParseContext input)");
                w.Line("uint tag;");
                w.Open("while ((tag = input.ReadTag()) != 0)");
                w.Line("if ((tag & 7) == 4) { return; }");
                w.Open("switch (tag)");
                w.Line($"case {keyTag}: Key = {WireCode.Read(k)}; break;");
                w.Line($"case {valueTag}: Value = {WireCode.Read(v)}; break;");
                w.Line("default: global::Google.Protobuf.UnknownFieldSet.MergeFieldFrom(null, ref input); break;");
                w.Close();
                w.Close();
                w.Close();
                w.Close();
                w.Line();
            }
        }

        private static int MapIndex(MessageModel m, int fieldIndex)
        {
            int n = 0;
            for (int i = 0; i < fieldIndex; i++)
            {
                if (m.Fields[i].Label == FieldLabel.Map)
                {
                    n++;
                }
            }

            return n;
        }
    }
}
