using System.Text;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>An imported file: its name and the C# expressions for its descriptor and <c>ProtoFile</c>.</summary>
    internal sealed record ProtoImport(string FileName, string DescriptorExpression, string ProtoFileExpression);

    /// <summary>
    /// Builds a <c>.proto</c> file's text and its serialized <c>FileDescriptorProto</c>, byte-identical to what protoc embeds
    /// in C# output for that text: declaration-ordered fields, map entries as nested types, proto3 optional as synthetic
    /// oneofs, no json_name, no source info.
    /// </summary>
    internal static class ProtoSchema
    {
        public static List<ProtoImport> Imports(string fileName, IEnumerable<MessageModel> messages)
        {
            var imports = new SortedDictionary<string, ProtoImport>(System.StringComparer.Ordinal);
            foreach (MessageModel m in messages)
            {
                foreach (FieldModel f in m.Fields)
                {
                    ValueModel v = f.Value;
                    if (v.ImportFile is not null && v.ImportFile != fileName && !imports.ContainsKey(v.ImportFile))
                    {
                        imports.Add(v.ImportFile, new ProtoImport(v.ImportFile, v.DependencyExpression!, v.ProtoFileExpression!));
                    }
                }
            }

            return imports.Values.ToList();
        }

        public static string Text(string fileName, string package, IReadOnlyList<MessageModel> messages)
        {
            var sb = new StringBuilder();
            sb.Append("syntax = \"proto3\";\n");
            if (package.Length > 0)
            {
                sb.Append("\npackage ").Append(package).Append(";\n");
            }

            List<ProtoImport> imports = Imports(fileName, messages);
            if (imports.Count > 0)
            {
                sb.Append('\n');
                foreach (ProtoImport i in imports)
                {
                    sb.Append("import \"").Append(i.FileName).Append("\";\n");
                }
            }

            foreach (MessageModel m in messages)
            {
                sb.Append("\nmessage ").Append(m.ProtoName).Append(" {\n");
                if (m.ReservedNumbers.Count > 0)
                {
                    sb.Append("  reserved ").Append(string.Join(", ", m.ReservedNumbers.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Append(";\n");
                }

                if (m.ReservedNames.Count > 0)
                {
                    sb.Append("  reserved ").Append(string.Join(", ", m.ReservedNames.Select(n => "\"" + n + "\""))).Append(";\n");
                }

                foreach (FieldModel f in m.Fields)
                {
                    sb.Append("  ");
                    switch (f.Label)
                    {
                        case FieldLabel.Optional when f.Value.ProtoType != ProtoType.Message:
                            sb.Append("optional ");
                            break;
                        case FieldLabel.Repeated:
                            sb.Append("repeated ");
                            break;
                    }

                    if (f.Label == FieldLabel.Map)
                    {
                        sb.Append("map<").Append(f.Key!.TextTypeName).Append(", ").Append(f.Value.TextTypeName).Append('>');
                    }
                    else
                    {
                        sb.Append(f.Value.TextTypeName);
                    }

                    sb.Append(' ').Append(f.ProtoName).Append(" = ").Append(f.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(";\n");
                }

                foreach (EnumModel e in m.Enums)
                {
                    sb.Append("\n  enum ").Append(e.ProtoName).Append(" {\n");
                    foreach (EnumValueModel v in e.Values)
                    {
                        sb.Append("    ").Append(v.ProtoName).Append(" = ").Append(v.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(";\n");
                    }

                    sb.Append("  }\n");
                }

                sb.Append("}\n");
            }

            return sb.ToString();
        }

        public static byte[] Descriptor(string fileName, string package, IReadOnlyList<MessageModel> messages)
        {
            var file = new ProtoWriter();
            file.String(1, fileName);
            if (package.Length > 0)
            {
                file.String(2, package);
            }

            foreach (ProtoImport i in Imports(fileName, messages))
            {
                file.String(3, i.FileName);
            }

            foreach (MessageModel m in messages)
            {
                file.Message(4, MessageDescriptor(m));
            }

            file.String(12, "proto3");
            return file.ToArray();
        }

        private static ProtoWriter MessageDescriptor(MessageModel m)
        {
            var w = new ProtoWriter();
            w.String(1, m.ProtoName);
            int oneof = 0;
            string scope = "." + m.FullProtoName;
            foreach (FieldModel f in m.Fields)
            {
                var fw = new ProtoWriter();
                fw.String(1, f.ProtoName);
                fw.Varint(3, (ulong)f.Number);
                bool repeated = f.Label == FieldLabel.Repeated || f.Label == FieldLabel.Map;
                fw.Varint(4, repeated ? 3UL : 1UL);
                if (f.Label == FieldLabel.Map)
                {
                    fw.Varint(5, (ulong)ProtoType.Message);
                    fw.String(6, scope + "." + ProtoNaming.MapEntryName(f.ProtoName));
                }
                else
                {
                    fw.Varint(5, (ulong)f.Value.ProtoType);
                    if (f.Value.ProtoTypeName is not null)
                    {
                        fw.String(6, f.Value.ProtoTypeName);
                    }
                }

                if (IsProto3Optional(f))
                {
                    fw.Varint(9, (ulong)oneof++);
                    fw.Varint(17, 1);
                }

                w.Message(2, fw);
            }

            foreach (FieldModel f in m.Fields)
            {
                if (f.Label != FieldLabel.Map)
                {
                    continue;
                }

                var entry = new ProtoWriter();
                entry.String(1, ProtoNaming.MapEntryName(f.ProtoName));
                entry.Message(2, EntryField("key", 1, f.Key!));
                entry.Message(2, EntryField("value", 2, f.Value));
                var options = new ProtoWriter();
                options.Varint(7, 1);
                entry.Message(7, options);
                w.Message(3, entry);
            }

            foreach (EnumModel e in m.Enums)
            {
                var ew = new ProtoWriter();
                ew.String(1, e.ProtoName);
                foreach (EnumValueModel v in e.Values)
                {
                    var vw = new ProtoWriter();
                    vw.String(1, v.ProtoName);
                    vw.Varint(2, unchecked((ulong)(long)v.Number));
                    ew.Message(2, vw);
                }

                w.Message(4, ew);
            }

            foreach (FieldModel f in m.Fields)
            {
                if (IsProto3Optional(f))
                {
                    var ow = new ProtoWriter();
                    ow.String(1, "_" + f.ProtoName);
                    w.Message(8, ow);
                }
            }

            foreach (int n in m.ReservedNumbers)
            {
                var rw = new ProtoWriter();
                rw.Varint(1, (ulong)n);
                rw.Varint(2, (ulong)(n + 1));
                w.Message(9, rw);
            }

            foreach (string name in m.ReservedNames)
            {
                w.String(10, name);
            }

            return w;
        }

        private static ProtoWriter EntryField(string name, int number, ValueModel v)
        {
            var fw = new ProtoWriter();
            fw.String(1, name);
            fw.Varint(3, (ulong)number);
            fw.Varint(4, 1);
            fw.Varint(5, (ulong)v.ProtoType);
            if (v.ProtoTypeName is not null)
            {
                fw.String(6, v.ProtoTypeName);
            }

            return fw;
        }

        /// <summary>proto3 <c>optional</c>: a nullable scalar, string or bytes (message fields have presence already).</summary>
        public static bool IsProto3Optional(FieldModel f) => f.Label == FieldLabel.Optional && f.Value.ProtoType != ProtoType.Message;

        /// <summary>The minimal Protobuf writer the descriptor needs; the generator cannot reference Google.Protobuf.</summary>
        private sealed class ProtoWriter
        {
            private readonly MemoryStream _stream = new MemoryStream();

            public void Varint(int field, ulong value)
            {
                Raw((ulong)(field << 3));
                Raw(value);
            }

            public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

            public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

            public byte[] ToArray() => _stream.ToArray();

            private void Bytes(int field, byte[] value)
            {
                Raw((ulong)((field << 3) | 2));
                Raw((ulong)value.Length);
                _stream.Write(value, 0, value.Length);
            }

            private void Raw(ulong value)
            {
                while (value >= 0x80)
                {
                    _stream.WriteByte((byte)(value | 0x80));
                    value >>= 7;
                }

                _stream.WriteByte((byte)value);
            }
        }
    }
}
