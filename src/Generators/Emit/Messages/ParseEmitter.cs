using System.Globalization;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.Roslyn.Parsing;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits <c>MergeFrom(CodedInputStream)</c> and <c>InternalMergeFrom</c>: the message read from Protobuf bytes.</summary>
    internal static class ParseEmitter
    {
        internal static void MergeFromInput(SourceWriter w, MessageModel m)
        {
            w.Line("/// <inheritdoc />");
            w.Line("public void MergeFrom(global::Google.Protobuf.CodedInputStream input) => input.ReadRawMessage(this);");
            w.Line();

            for (int i = 0; i < m.Fields.Count; i++)
            {
                FieldModel f = m.Fields[i];
                if (f.Label == FieldLabel.Repeated && WireCode.IsPackable(f.Value))
                {
                    w.Line($"private static readonly global::Google.Protobuf.FieldCodec<{f.Value.ClrType}> __codec{i} = {WireCode.PackedCodec(f.Value, WireCode.Tag(f.Number, 2))};");
                }
            }

            w.Open("void global::Google.Protobuf.IBufferMessage.InternalMergeFrom(ref global::Google.Protobuf.ParseContext input)");
            for (int i = 0; i < m.Fields.Count; i++)
            {
                FieldModel f = m.Fields[i];
                string e = f.Value.ClrType;
                if (f.Label == FieldLabel.Repeated)
                {
                    w.Line(WireCode.IsPackable(f.Value)
                        ? $"global::Google.Protobuf.Collections.RepeatedField<{e}>? __r{i} = null;"
                        : $"global::System.Collections.Generic.List<{e}>? __r{i} = null;");
                }
                else if (f.Label == FieldLabel.Map)
                {
                    w.Line($"global::System.Collections.Generic.Dictionary<{f.Key!.ClrType}, {e}>? __r{i} = null;");
                    w.Line($"__Entry{i}? __e{i} = null;");
                }
                else if (IsSecondsNanos(f.Value))
                {
                    // Timestamp and Duration are messages on the wire: a second occurrence merges into the first.
                    w.Line($"long __s{i} = 0;");
                    w.Line($"int __n{i} = 0;");
                }
                else if (f.Value.ClrKind == ClrKind.Message)
                {
                    // The sub-message this parse owns: a second occurrence on the wire merges into it (Protobuf rule).
                    w.Line($"{e}? __m{i} = null;");
                }
            }

            w.Line("uint tag;");
            w.Open("while ((tag = input.ReadTag()) != 0)");
            w.Line("if ((tag & 7) == 4) { break; }");
            w.Open("switch (tag)");
            w.Line("default:");
            w.Line("    _unknownFields = global::Google.Protobuf.UnknownFieldSet.MergeFieldFrom(_unknownFields, ref input);");
            w.Line("    break;");
            for (int i = 0; i < m.Fields.Count; i++)
            {
                FieldModel f = m.Fields[i];
                ValueModel v = f.Value;
                uint tag = WireCode.Tag(f.Number, WireCode.WireType(v));
                string t = tag.ToString(CultureInfo.InvariantCulture);
                switch (f.Label)
                {
                    case FieldLabel.Singular when v.ClrKind == ClrKind.Message:
                    case FieldLabel.Optional when v.ClrKind == ClrKind.Message:
                        // A singular sub-message seen again merges into what is there. The value the record already
                        // held may be shared with other records, so it is cloned once, never mutated in place.
                        string me = "this." + f.PropertyName;
                        w.Line($"case {t}:");
                        w.Line($"    __m{i} ??= {me} is null ? {v.ClrType}.CreateParseTarget() : (({Deep(v.ClrType)}){me}).Clone();");
                        w.Line($"    input.ReadMessage(__m{i});");
                        w.Line($"    {Assign(f, "this", "__m" + i.ToString(CultureInfo.InvariantCulture))}");
                        w.Line("    break;");
                        break;
                    case FieldLabel.Singular when IsSecondsNanos(v):
                    case FieldLabel.Optional when IsSecondsNanos(v):
                        string convert = v.ClrKind == ClrKind.TimeSpan ? "ToTimeSpan" : v.ClrKind == ClrKind.DateTime ? "ToDateTime" : "ToDateTimeOffset";
                        w.Line($"case {t}:");
                        w.Line($"    {WireCode.Codec}.MergeSecondsNanos(ref input, ref __s{i}, ref __n{i});");
                        w.Line($"    {Assign(f, "this", $"{WireCode.Codec}.{convert}(__s{i}, __n{i})")}");
                        w.Line("    break;");
                        break;
                    case FieldLabel.Singular:
                    case FieldLabel.Optional:
                        w.Line($"case {t}:");
                        w.Line($"    {Assign(f, "this", WireCode.Read(v))}");
                        w.Line("    break;");
                        break;
                    case FieldLabel.Repeated when WireCode.IsPackable(v):
                        w.Line($"case {t}:");
                        w.Line($"case {WireCode.Tag(f.Number, 2).ToString(CultureInfo.InvariantCulture)}:");
                        w.Line($"    (__r{i} ??= new global::Google.Protobuf.Collections.RepeatedField<{v.ClrType}>()).AddEntriesFrom(ref input, __codec{i});");
                        w.Line("    break;");
                        break;
                    case FieldLabel.Repeated:
                        w.Line($"case {t}:");
                        w.Line($"    (__r{i} ??= new global::System.Collections.Generic.List<{v.ClrType}>()).Add({WireCode.Read(v)});");
                        w.Line("    break;");
                        break;
                    case FieldLabel.Map:
                        w.Line($"case {WireCode.Tag(f.Number, 2).ToString(CultureInfo.InvariantCulture)}:");
                        w.Open();
                        w.Line($"var __e = __e{i} ??= new __Entry{i}();");
                        w.Line("__e.Reset();");
                        w.Line("input.ReadMessage(__e);");
                        w.Line($"(__r{i} ??= new global::System.Collections.Generic.Dictionary<{f.Key!.ClrType}, {v.ClrType}>())[__e.Key] = {(v.ClrKind == ClrKind.Message ? $"__e.Value ?? new {v.ClrType}()" : "__e.Value")};");
                        w.Line("break;");
                        w.Close();
                        break;
                }
            }

            w.Close();
            w.Close();
            for (int i = 0; i < m.Fields.Count; i++)
            {
                FieldModel f = m.Fields[i];
                if (f.Label == FieldLabel.Repeated)
                {
                    w.Line($"if (__r{i} is not null) {{ {Assign(f, "this", Append(f, "this." + f.PropertyName, "__r" + i.ToString(CultureInfo.InvariantCulture)))} }}");
                }
                else if (f.Label == FieldLabel.Map)
                {
                    w.Line($"if (__r{i} is not null) {{ {Assign(f, "this", $"{WireCode.Codec}.MergeMap<{f.Key!.ClrType}, {f.Value.ClrType}>(this.{f.PropertyName}, __r{i})")} }}");
                }
            }

            FillDefaults(w, m);

            w.Close();
            w.Line();
        }

        private static void FillDefaults(SourceWriter w, MessageModel m)
        {
            foreach (FieldModel f in m.Fields)
            {
                string d = FieldDefaults.DefaultExpression(f);
                if (f.Collection == CollectionKind.ImmutableArray)
                {
                    w.Line($"if (this.{f.PropertyName}.IsDefault) {{ {Assign(f, "this", d)} }}");
                }
                else if (d.StartsWith("new ", System.StringComparison.Ordinal) || d.StartsWith("global::", System.StringComparison.Ordinal))
                {
                    w.Line($"if (this.{f.PropertyName} is null) {{ {Assign(f, "this", d)} }}");
                }
            }
        }
    }
}
