using KafkaTyped.Generators.Emit.Messages;
using KafkaTyped.Roslyn.Model;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>A message set with its members in file (message-index) order.</summary>
    /// <remarks>Plain data, compared by value: it changes only when the set or one of its members changes.</remarks>
    internal sealed record SetFileModel(SetModel Set, EquatableArray<MessageModel> Members)
    {
        public static SetFileModel Build(SetModel set, IEnumerable<MessageModel> all) =>
            new SetFileModel(set, new EquatableArray<MessageModel>(
                all.Where(m => m.SetClassFullName == set.FullClassName)
                   .OrderBy(m => m.ProtoName, StringComparer.Ordinal)
                   .ThenBy(m => m.FullTypeName, StringComparer.Ordinal)));
    }

    /// <summary>Emits a file's reflection holder (descriptor, <c>ProtoFile</c>) and the per-set <c>MessageSetDefinition</c> classes.</summary>
    internal static class FileEmitter
    {
        private const string Reflection = "global::Google.Protobuf.Reflection";

        public static string SetHintName(SetModel s) => (s.Namespace.Length == 0 ? s.ClassName : s.Namespace + "." + s.ClassName) + ".g.cs";

        public static void Holder(SourceWriter w, string fileName, string package, IReadOnlyList<MessageModel> messages)
        {
            byte[] descriptor = ProtoSchema.Descriptor(fileName, package, messages);
            string text = ProtoSchema.Text(fileName, package, messages);
            List<ProtoImport> imports = ProtoSchema.Imports(fileName, messages);

            w.Line($"private static readonly byte[] __descriptorData = global::System.Convert.FromBase64String(\"{Convert.ToBase64String(descriptor)}\");");
            w.Line();
            w.Line($"/// <summary>The Protobuf descriptor of <c>{fileName}</c>.</summary>");
            w.Line($"public static {Reflection}.FileDescriptor Descriptor {{ get; }} = {Reflection}.FileDescriptor.FromGeneratedCode(");
            w.Line("    __descriptorData,");
            w.Line($"    new {Reflection}.FileDescriptor[] {{ {string.Join(", ", imports.Select(i => i.DescriptorExpression))} }},");
            w.Line($"    new {Reflection}.GeneratedClrTypeInfo(null, null, new {Reflection}.GeneratedClrTypeInfo[]");
            w.Line("    {");
            foreach (MessageModel m in messages)
            {
                w.Line("        " + ClrTypeInfo(m) + ",");
            }

            w.Line("    }));");
            w.Line();
            w.Line($"/// <summary>The <c>.proto</c> file <c>{fileName}</c>: text, descriptor bytes and imports.</summary>");
            w.Line("public static global::KafkaTyped.GeneratedCode.ProtoFile ProtoFile { get; } = new global::KafkaTyped.GeneratedCode.ProtoFile(");
            w.Line($"    {SourceWriter.Literal(fileName)},");
            w.Line($"    {SourceWriter.Literal(package)},");
            w.Line($"    {SourceWriter.Literal(text)},");
            w.Line("    __descriptorData,");
            w.Line($"    new global::KafkaTyped.GeneratedCode.ProtoFile[] {{ {string.Join(", ", imports.Select(i => i.ProtoFileExpression))} }});");
        }

        /// <summary>
        /// Writes the <c>ParserOf</c> override: each member's generated parser by message index, so a set's records can be
        /// read without a handler (<c>TopicReader</c>). A set without members keeps the base (no parser).
        /// </summary>
        public static void ParserOf(SourceWriter w, IEnumerable<string> memberTypes)
        {
            List<string> types = memberTypes.ToList();
            if (types.Count == 0)
            {
                return;
            }

            w.Line("/// <inheritdoc />");
            w.Line("public override global::Google.Protobuf.MessageParser? ParserOf(int messageIndex) => messageIndex switch");
            w.Line("{");
            for (int i = 0; i < types.Count; i++)
            {
                w.Line($"    {i} => {types[i]}.Parser,");
            }

            w.Line("    _ => null,");
            w.Line("};");
        }

        private static string ClrTypeInfo(MessageModel m)
        {
            string names = "new string[] { " + string.Join(", ", m.Fields.Select(f => SourceWriter.Literal(ReflectionEmitter.ReflectionName(f)))) + " }";
            List<FieldModel> optional = m.Fields.Where(ProtoSchema.IsProto3Optional).ToList();
            string oneofs = optional.Count == 0 ? "null" : "new string[] { " + string.Join(", ", optional.Select(f => SourceWriter.Literal(ReflectionEmitter.ReflectionName(f)))) + " }";
            string enums = m.Enums.Count == 0 ? "null" : "new global::System.Type[] { " + string.Join(", ", m.Enums.Select(e => $"typeof({e.ClrType})")) + " }";
            int maps = m.Fields.Count(f => f.Label == FieldLabel.Map);
            string nested = maps == 0 ? "null" : $"new {Reflection}.GeneratedClrTypeInfo[] {{ " + string.Join(", ", Enumerable.Repeat("null!", maps)) + " }";
            return $"new {Reflection}.GeneratedClrTypeInfo(typeof({m.FullTypeName}), {m.FullTypeName}.Parser, {names}, {oneofs}, {enums}, null, {nested})";
        }

        public static string EmitSet(SetFileModel model)
        {
            SetModel s = model.Set;
            var w = new SourceWriter();
            MessageEmitter.Header(w);
            if (s.Namespace.Length > 0)
            {
                w.Open("namespace " + s.Namespace);
            }

            w.Line($"/// <summary>The message set of <see cref=\"{s.InterfaceFullName}\"/>: topic <c>{s.Topic}</c>, file <c>{s.FileName}</c>.</summary>");
            w.Line(MessageEmitter.GeneratedCode);
            w.Open($"{(s.IsPublic ? "public" : "internal")} sealed class {s.ClassName} : global::KafkaTyped.GeneratedCode.MessageSetDefinition");
            Holder(w, s.FileName, s.Package, model.Members);
            w.Line();
            for (int i = 0; i < model.Members.Count; i++)
            {
                w.Line($"/// <summary>The message index of <see cref=\"{model.Members[i].FullTypeName}\"/> (its position in the file).</summary>");
                w.Line($"public const int {model.Members[i].ProtoName}Index = {i};");
            }

            w.Line();
            w.Line("private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> __messageNames = global::System.Array.AsReadOnly(new string[]");
            w.Line("{");
            foreach (MessageModel m in model.Members)
            {
                w.Line("    " + SourceWriter.Literal(m.FullProtoName) + ",");
            }

            w.Line("});");
            w.Line();
            w.Line("/// <summary>The single instance.</summary>");
            w.Line($"public static readonly {s.ClassName} Instance = new {s.ClassName}();");
            w.Line();
            w.Line($"private {s.ClassName}() {{ }}");
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public override string Topic => {SourceWriter.Literal(s.Topic)};");
            w.Line("/// <inheritdoc />");
            w.Line($"public override int Partitions => {s.Partitions};");
            w.Line("/// <inheritdoc />");
            w.Line($"public override short ReplicationFactor => {s.ReplicationFactor};");
            w.Line("/// <inheritdoc />");
            w.Line("public override global::KafkaTyped.GeneratedCode.ProtoFile File => ProtoFile;");
            w.Line("/// <inheritdoc />");
            w.Line("public override global::System.Collections.Generic.IReadOnlyList<string> MessageNames => __messageNames;");
            ParserOf(w, model.Members.Select(m => m.FullTypeName));
            w.Close();
            if (s.Namespace.Length > 0)
            {
                w.Close();
            }

            return w.ToString();
        }
    }
}
