using System.Globalization;
using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits <c>WriteTo</c> and <c>CalculateSize</c>: the message as Protobuf bytes.</summary>
    internal static class SerializationEmitter
    {
        internal static void WriteTo(SourceWriter w, MessageModel m)
        {
            w.Line("/// <inheritdoc />");
            w.Line("public void WriteTo(global::Google.Protobuf.CodedOutputStream output) => output.WriteRawMessage(this);");
            w.Line();
            w.Open("void global::Google.Protobuf.IBufferMessage.InternalWriteTo(ref global::Google.Protobuf.WriteContext output)");
            int n = 0;
            foreach (FieldModel f in ByNumber(m))
            {
                n++;
                string x = "__v" + n.ToString(CultureInfo.InvariantCulture);
                ValueModel v = f.Value;
                uint tag = WireCode.Tag(f.Number, WireCode.WireType(v));
                switch (f.Label)
                {
                    case FieldLabel.Singular:
                        OpenIf(w, WireCode.NonDefault(v, "this." + f.PropertyName));
                        w.Line(WireCode.WriteTag(tag));
                        w.Line(WireCode.Write(v, "this." + f.PropertyName));
                        w.Close();
                        break;
                    case FieldLabel.Optional:
                        w.Open(f.IsNullableValueType ? $"if (this.{f.PropertyName}.HasValue)" : $"if (this.{f.PropertyName} is not null)");
                        w.Line(WireCode.WriteTag(tag));
                        w.Line(WireCode.Write(v, f.IsNullableValueType ? $"this.{f.PropertyName}.GetValueOrDefault()" : "this." + f.PropertyName));
                        w.Close();
                        break;
                    case FieldLabel.Repeated:
                        w.Line($"var {x} = this.{f.PropertyName};");
                        w.Open($"if ({HasItems(f, x)})");
                        if (WireCode.IsPackable(v))
                        {
                            PackedDataSize(w, f, x);
                            w.Line(WireCode.WriteTag(WireCode.Tag(f.Number, 2)));
                            w.Line("output.WriteLength(__data);");
                            w.Open($"for (int __i = 0; __i < {CountOf(f, x)}; __i++)");
                            w.Line(WireCode.Write(v, x + "[__i]"));
                            w.Close();
                        }
                        else
                        {
                            w.Open($"for (int __i = 0; __i < {CountOf(f, x)}; __i++)");
                            w.Line(WireCode.WriteTag(tag));
                            w.Line(WireCode.Write(v, x + "[__i]"));
                            w.Close();
                        }

                        w.Close();
                        break;
                    case FieldLabel.Map:
                        w.Line($"var {x} = this.{f.PropertyName};");
                        w.Open($"if ({x} is not null)");
                        w.Open($"foreach (var __kv in {x})");
                        EntrySize(w, f);
                        w.Line(WireCode.WriteTag(WireCode.Tag(f.Number, 2)));
                        w.Line("output.WriteLength(__entry);");
                        uint keyTag = WireCode.Tag(1, WireCode.WireType(f.Key!));
                        uint valueTag = WireCode.Tag(2, WireCode.WireType(v));
                        w.Open($"if ({WireCode.NonDefault(f.Key!, "__kv.Key")})");
                        w.Line(WireCode.WriteTag(keyTag));
                        w.Line(WireCode.Write(f.Key!, "__kv.Key"));
                        w.Close();
                        w.Open($"if ({WireCode.NonDefault(v, "__kv.Value")})");
                        w.Line(WireCode.WriteTag(valueTag));
                        w.Line(WireCode.Write(v, "__kv.Value"));
                        w.Close();
                        w.Close();
                        w.Close();
                        break;
                }
            }

            w.Line("_unknownFields?.WriteTo(ref output);");
            w.Close();
            w.Line();
        }

        /// <summary>Opens an <c>if</c> block, or a plain block when the value is always written.</summary>
        private static void OpenIf(SourceWriter w, string condition)
        {
            if (condition == "true")
            {
                w.Open();
            }
            else
            {
                w.Open($"if ({condition})");
            }
        }

        private static void PackedDataSize(SourceWriter w, FieldModel f, string x)
        {
            int fixedSize = WireCode.FixedSize(f.Value);
            if (fixedSize > 0)
            {
                w.Line($"int __data = {CountOf(f, x)} * {fixedSize.ToString(CultureInfo.InvariantCulture)};");
            }
            else
            {
                w.Line("int __data = 0;");
                w.Open($"for (int __i = 0; __i < {CountOf(f, x)}; __i++)");
                w.Line($"__data += {WireCode.Size(f.Value, x + "[__i]")};");
                w.Close();
            }
        }

        private static void EntrySize(SourceWriter w, FieldModel f)
        {
            int keyTagSize = WireCode.TagSize(WireCode.Tag(1, WireCode.WireType(f.Key!)));
            int valueTagSize = WireCode.TagSize(WireCode.Tag(2, WireCode.WireType(f.Value)));
            w.Line($"int __entry = ({WireCode.NonDefault(f.Key!, "__kv.Key")} ? {keyTagSize} + {WireCode.Size(f.Key!, "__kv.Key")} : 0)");
            w.Line($"    + ({WireCode.NonDefault(f.Value, "__kv.Value")} ? {valueTagSize} + {WireCode.Size(f.Value, "__kv.Value")} : 0);");
        }

        internal static void CalculateSize(SourceWriter w, MessageModel m)
        {
            w.Line("/// <inheritdoc />");
            w.Open("public int CalculateSize()");
            w.Line("int size = 0;");
            int n = 0;
            foreach (FieldModel f in ByNumber(m))
            {
                n++;
                string x = "__v" + n.ToString(CultureInfo.InvariantCulture);
                ValueModel v = f.Value;
                int tagSize = WireCode.TagSize(WireCode.Tag(f.Number, WireCode.WireType(v)));
                switch (f.Label)
                {
                    case FieldLabel.Singular:
                        OpenIf(w, WireCode.NonDefault(v, "this." + f.PropertyName));
                        w.Line($"size += {tagSize} + {WireCode.Size(v, "this." + f.PropertyName)};");
                        w.Close();
                        break;
                    case FieldLabel.Optional:
                        w.Open(f.IsNullableValueType ? $"if (this.{f.PropertyName}.HasValue)" : $"if (this.{f.PropertyName} is not null)");
                        w.Line($"size += {tagSize} + {WireCode.Size(v, f.IsNullableValueType ? $"this.{f.PropertyName}.GetValueOrDefault()" : "this." + f.PropertyName)};");
                        w.Close();
                        break;
                    case FieldLabel.Repeated:
                        w.Line($"var {x} = this.{f.PropertyName};");
                        w.Open($"if ({HasItems(f, x)})");
                        if (WireCode.IsPackable(v))
                        {
                            PackedDataSize(w, f, x);
                            int packedTagSize = WireCode.TagSize(WireCode.Tag(f.Number, 2));
                            w.Line($"size += {packedTagSize} + {WireCode.Cos}.ComputeLengthSize(__data) + __data;");
                        }
                        else
                        {
                            w.Line($"size += {tagSize} * {CountOf(f, x)};");
                            w.Open($"for (int __i = 0; __i < {CountOf(f, x)}; __i++)");
                            w.Line($"size += {WireCode.Size(v, x + "[__i]")};");
                            w.Close();
                        }

                        w.Close();
                        break;
                    case FieldLabel.Map:
                        int mapTagSize = WireCode.TagSize(WireCode.Tag(f.Number, 2));
                        w.Line($"var {x} = this.{f.PropertyName};");
                        w.Open($"if ({x} is not null)");
                        w.Open($"foreach (var __kv in {x})");
                        EntrySize(w, f);
                        w.Line($"size += {mapTagSize} + {WireCode.Cos}.ComputeLengthSize(__entry) + __entry;");
                        w.Close();
                        w.Close();
                        break;
                }
            }

            w.Line("if (_unknownFields is not null) { size += _unknownFields.CalculateSize(); }");
            w.Line("return size;");
            w.Close();
            w.Line();
        }
    }
}
