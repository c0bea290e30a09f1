using KafkaTyped.Generators.Model;
using KafkaTyped.Roslyn.Model;
using KafkaTyped.SchemaModel;

namespace KafkaTyped.Generators.Emit
{
    /// <summary>
    /// Emits, inside a <c>[ReplicatedCache]</c> partial, the cache's operation messages (<c>Added</c>, <c>Updated</c>,
    /// <c>Deleted</c>) and their message set (<c>Operations</c>). The schema is defined once, in
    /// <see cref="CacheOperationsProto"/>, which the runtime's <c>CacheOperationsSchema</c> builds from too (same file name,
    /// package, text and descriptor bytes), so the cache and any consumer group of its operations register one schema and
    /// read each other's records.
    /// </summary>
    /// <remarks>
    /// The key is the Kafka record key and no Protobuf field: <c>Added { V value = 1; }</c>, <c>Updated { V value = 1; }</c>,
    /// <c>Deleted { }</c>. Each message still carries it as <c>Key</c>, filled from the record by <c>ReadRecord</c>.
    /// </remarks>
    internal static class CacheOperationsEmitter
    {
        private const string Pb = "global::Google.Protobuf";
        private const string Reflection = "global::Google.Protobuf.Reflection";

        /// <summary>The operations' <c>.proto</c> text, from the schema's one definition (the runtime writes the same).</summary>
        public static string Text(CacheModel c) => CacheOperationsProto.Text(c.ClassName, c.OperationsPackage, c.ValueFileName, c.ValueProtoFullName);

        /// <summary>The serialized <c>FileDescriptorProto</c>, built by the same writer as every generated file.</summary>
        public static byte[] Descriptor(CacheModel c)
        {
            var value = new ValueModel(ProtoType.Message, ClrKind.Message, c.ValueType, "." + c.ValueProtoFullName, c.ValueProtoFullName, c.ValueFileName,
                c.ValueType + ".Descriptor.File", c.ValueType + ".ProtoFile");
            var field = new FieldModel("Value", CacheOperationsProto.ValueFieldName, CacheOperationsProto.ValueFieldNumber, FieldLabel.Singular, CollectionKind.None, c.ValueType, value, null, AccessKind.Setter, null, false, true);
            MessageModel[] messages = CacheOperationNames.All
                .Select(name => Operation(c, name, CacheOperationsProto.CarriesValue(name) ? new EquatableArray<FieldModel>(new[] { field }) : EquatableArray<FieldModel>.Empty))
                .ToArray();
            return ProtoSchema.Descriptor(c.OperationsFileName, c.OperationsPackage, messages);
        }

        private static MessageModel Operation(CacheModel c, string name, EquatableArray<FieldModel> fields) => new MessageModel(
            Namespace: c.Namespace,
            TypeName: name,
            FullTypeName: c.FullName + "." + name,
            IsSealed: true,
            IsPublic: true,
            ProtoName: name,
            Package: c.OperationsPackage,
            FileName: c.OperationsFileName,
            SetClassFullName: null,
            Fields: fields,
            Enums: EquatableArray<EnumModel>.Empty,
            ReservedNumbers: EquatableArray<int>.Empty,
            ReservedNames: EquatableArray<string>.Empty,
            KeyFieldIndex: -1,
            KeyKind: KeyKind.None,
            EmitParameterlessConstructor: false,
            PrimaryConstructorArguments: EquatableArray<string>.Empty,
            PrimaryConstructorTypes: EquatableArray<string>.Empty,
            IsPositional: false,
            EmitEquality: false);

        /// <summary>Writes the set class and the three messages into the open cache class.</summary>
        public static void Emit(SourceWriter w, CacheModel c)
        {
            EmitSet(w, c);
            for (int i = 0; i < CacheOperationNames.All.Length; i++)
            {
                w.Line();
                EmitMessage(w, c, CacheOperationNames.All[i], i);
            }
        }

        private static void EmitSet(SourceWriter w, CacheModel c)
        {
            string set = c.FullName + "." + CacheOperationNames.SetClass;
            w.Line($"/// <summary>");
            w.Line($"/// The message set of this cache's operations on topic <c>{Xml(c.Topic)}</c>: <see cref=\"Added\"/>, <see cref=\"Updated\"/> and");
            w.Line($"/// <see cref=\"Deleted\"/> in file <c>{c.OperationsFileName}</c>, the schema the cache itself registers. Handle the operations");
            w.Line("/// in another consumer group with an ordinary <c>[ConsumerGroup]</c> class implementing <c>IHandle&lt;Added&gt;</c> and so on.");
            w.Line("/// </summary>");
            w.Line(MessageEmitter.GeneratedCode);
            w.Open($"public sealed class {CacheOperationNames.SetClass} : global::KafkaTyped.GeneratedCode.MessageSetDefinition");
            w.Line($"private static readonly byte[] __descriptorData = global::System.Convert.FromBase64String(\"{System.Convert.ToBase64String(Descriptor(c))}\");");
            w.Line();
            w.Line($"/// <summary>The Protobuf descriptor of <c>{c.OperationsFileName}</c>.</summary>");
            w.Line($"public static {Reflection}.FileDescriptor Descriptor {{ get; }} = {Reflection}.FileDescriptor.FromGeneratedCode(");
            w.Line("    __descriptorData,");
            w.Line($"    new {Reflection}.FileDescriptor[] {{ {c.ValueType}.Descriptor.File }},");
            w.Line($"    new {Reflection}.GeneratedClrTypeInfo(null, null, new {Reflection}.GeneratedClrTypeInfo[]");
            w.Line("    {");
            foreach (string name in CacheOperationNames.All)
            {
                string t = c.FullName + "." + name;
                string fields = name == CacheOperationNames.Deleted ? "new string[0]" : "new string[] { \"Value\" }";
                w.Line($"        new {Reflection}.GeneratedClrTypeInfo(typeof({t}), {t}.Parser, {fields}, null, null, null, null),");
            }

            w.Line("    }));");
            w.Line();
            w.Line($"/// <summary>The <c>.proto</c> file <c>{c.OperationsFileName}</c>: text, descriptor bytes and imports.</summary>");
            w.Line("public static global::KafkaTyped.GeneratedCode.ProtoFile ProtoFile { get; } = new global::KafkaTyped.GeneratedCode.ProtoFile(");
            w.Line($"    {SourceWriter.Literal(c.OperationsFileName)},");
            w.Line($"    {SourceWriter.Literal(c.OperationsPackage)},");
            w.Line($"    {SourceWriter.Literal(Text(c))},");
            w.Line("    __descriptorData,");
            w.Line($"    new global::KafkaTyped.GeneratedCode.ProtoFile[] {{ {c.ValueType}.ProtoFile }});");
            w.Line();
            for (int i = 0; i < CacheOperationNames.All.Length; i++)
            {
                string name = CacheOperationNames.All[i];
                w.Line($"/// <summary>The message index of <see cref=\"{name}\"/> (its position in the file).</summary>");
                w.Line($"public const int {name}Index = {i};");
            }

            w.Line();
            w.Line("private static readonly global::System.Collections.ObjectModel.ReadOnlyCollection<string> __messageNames = global::System.Array.AsReadOnly(new string[]");
            w.Line("{");
            foreach (string name in CacheOperationNames.All)
            {
                w.Line("    " + SourceWriter.Literal(c.OperationsPackage + "." + name) + ",");
            }

            w.Line("});");
            w.Line();
            w.Line("private static readonly global::System.Collections.Generic.IReadOnlyDictionary<string, string> __topicConfigs =");
            w.Line("    new global::System.Collections.Generic.Dictionary<string, string>(global::System.StringComparer.Ordinal) { [\"cleanup.policy\"] = \"compact\" };");
            w.Line();
            w.Line("/// <summary>The single instance.</summary>");
            w.Line($"public static readonly {set} Instance = new {set}();");
            w.Line();
            w.Line($"private {CacheOperationNames.SetClass}() {{ }}");
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line("public override string Topic => TopicName;");
            w.Line("/// <inheritdoc />");
            w.Line("public override int Partitions => PartitionCount;");
            w.Line("/// <summary>Compacted: the cache's state is a function of the last record per key.</summary>");
            w.Line("public override global::System.Collections.Generic.IReadOnlyDictionary<string, string>? TopicConfigs => __topicConfigs;");
            w.Line("/// <inheritdoc />");
            w.Line("public override global::KafkaTyped.GeneratedCode.ProtoFile File => ProtoFile;");
            w.Line("/// <inheritdoc />");
            w.Line("public override global::System.Collections.Generic.IReadOnlyList<string> MessageNames => __messageNames;");
            FileEmitter.ParserOf(w, CacheOperationNames.All.Select(name => c.FullName + "." + name));
            w.Close();
        }

        private static void EmitMessage(SourceWriter w, CacheModel c, string name, int index)
        {
            string t = c.FullName + "." + name;
            string v = c.ValueType;
            string k = c.KeyType;
            bool carries = CacheOperationsProto.CarriesValue(name);
            string keyDefault = k == "string" ? "\"\"" : "default";
            string summary = name switch
            {
                CacheOperationNames.Added => "A key was added to the cache (it was absent in the writer's replica).",
                CacheOperationNames.Updated => "A present key got a new value.",
                _ => "A key was deleted from the cache. A tombstone follows it on the topic (skipped by dispatchers) so compaction can drop the key.",
            };

            w.Line($"/// <summary>Cache operation <c>{name}</c> (message index {index} of <see cref=\"{CacheOperationNames.SetClass}\"/>): {summary}</summary>");
            w.Line(MessageEmitter.GeneratedCode);
            w.Open($"public sealed partial record {name} : {Pb}.IMessage<{t}>, {Pb}.IBufferMessage");
            w.Line($"private static readonly {Pb}.MessageParser<{t}> __parser = new {Pb}.MessageParser<{t}>(static () => new {t}(default(__ForParsing)));");
            w.Line($"private {Pb}.UnknownFieldSet? _unknownFields;");
            w.Line($"private {k} __key = {keyDefault};");
            if (carries)
            {
                w.Line($"private {v} __value;");
            }

            w.Line();
            w.Line("/// <summary>Parses this message from bytes, spans, sequences and streams (the key is not in the payload: see <see cref=\"ReadRecord\"/>).</summary>");
            w.Line($"public static {Pb}.MessageParser<{t}> Parser => __parser;");
            w.Line("/// <summary>The Protobuf descriptor of this message.</summary>");
            w.Line($"public static {Reflection}.MessageDescriptor Descriptor => {CacheOperationNames.SetClass}.Descriptor.MessageTypes[{index}];");
            w.Line("/// <summary>The <c>.proto</c> file this message lives in.</summary>");
            w.Line($"public static global::KafkaTyped.GeneratedCode.ProtoFile ProtoFile => {CacheOperationNames.SetClass}.ProtoFile;");
            w.Line("/// <summary>This message's index among the top-level messages of <see cref=\"ProtoFile\"/> (its Confluent message index).</summary>");
            w.Line($"public static int ProtoMessageIndex => {index};");
            w.Line($"{Reflection}.MessageDescriptor {Pb}.IMessage.Descriptor => Descriptor;");
            w.Line();
            if (carries)
            {
                w.Line("/// <summary>Creates the operation with a default key and value.</summary>");
                w.Line($"public {name}() => __value = new {v}();");
                w.Line();
                w.Line("/// <summary>Creates the operation for <paramref name=\"key\"/> and <paramref name=\"value\"/>.</summary>");
                w.Open($"public {name}({k} key, {v} value)");
                w.Line("__key = key;");
                w.Line("__value = value ?? throw new global::System.ArgumentNullException(nameof(value));");
                w.Close();
            }
            else
            {
                w.Line("/// <summary>Creates the operation with a default key.</summary>");
                w.Open($"public {name}()");
                w.Close();
                w.Line();
                w.Line("/// <summary>Creates the operation for <paramref name=\"key\"/>.</summary>");
                w.Line($"public {name}({k} key) => __key = key;");
            }

            w.Line();
            w.Line("private readonly struct __ForParsing { }");
            w.Line();
            if (carries)
            {
                w.Line("// The parser's instance: the value starts null and InternalMergeFrom fills it.");
                w.Line($"private {name}(__ForParsing _) => __value = null!;");
            }
            else
            {
                w.Line($"private {name}(__ForParsing _) {{ }}");
            }
            w.Line();
            w.Line("/// <summary>The cache key: the Kafka record key, not part of the Protobuf payload.</summary>");
            w.Line($"public {k} Key {{ get => __key; init => __key = value; }}");
            if (carries)
            {
                w.Line();
                w.Line("/// <summary>The key's value after the operation.</summary>");
                w.Line($"public {v} Value {{ get => __value; init => __value = value ?? throw new global::System.ArgumentNullException(nameof(value)); }}");
            }

            w.Line();
            w.Line("/// <summary>Reads the operation from a consumed record: the payload after the framing, and the key from the record key.</summary>");
            w.Line($"/// <exception cref=\"global::KafkaTyped.Consuming.MessageDeserializationException\">The payload or the key cannot be read.</exception>");
            w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
            w.Open($"public static {t} ReadRecord(global::System.ReadOnlySpan<byte> payload, global::Confluent.Kafka.ConsumeResult<byte[], byte[]> record)");
            w.Line($"{t} message = global::KafkaTyped.GeneratedCode.CacheOperationRecords.Parse(__parser, payload, record);");
            w.Line($"message.__key = global::KafkaTyped.GeneratedCode.CacheOperationRecords.ReadKey<{k}>(record);");
            w.Line("return message;");
            w.Close();
            w.Line();

            w.Line("/// <inheritdoc />");
            w.Line($"public void WriteTo({Pb}.CodedOutputStream output) => output.WriteRawMessage(this);");
            w.Line();
            w.Open($"void {Pb}.IBufferMessage.InternalWriteTo(ref {Pb}.WriteContext output)");
            if (carries)
            {
                w.Open("if (__value is not null)");
                w.Line("output.WriteRawTag(10);");
                w.Line("output.WriteMessage(__value);");
                w.Close();
            }

            w.Line("_unknownFields?.WriteTo(ref output);");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Open("public int CalculateSize()");
            w.Line("int size = 0;");
            if (carries)
            {
                w.Line($"if (__value is not null) {{ size += 1 + {Pb}.CodedOutputStream.ComputeMessageSize(__value); }}");
            }

            w.Line("if (_unknownFields is not null) { size += _unknownFields.CalculateSize(); }");
            w.Line("return size;");
            w.Close();
            w.Line();
            w.Line("/// <summary>Merges <paramref name=\"other\"/>'s payload into this message with Protobuf semantics; the key is kept.</summary>");
            w.Open($"public void MergeFrom({t}? other)");
            w.Line("if (other is null) { return; }");
            if (carries)
            {
                w.Open("if (other.__value is not null)");
                w.Line($"var __m = __value is null ? new {v}() : (({Pb}.IDeepCloneable<{v}>)__value).Clone();");
                w.Line("__m.MergeFrom(other.__value);");
                w.Line("__value = __m;");
                w.Close();
            }

            w.Line($"_unknownFields = {Pb}.UnknownFieldSet.MergeFrom(_unknownFields, other._unknownFields);");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public void MergeFrom({Pb}.CodedInputStream input) => input.ReadRawMessage(this);");
            w.Line();
            w.Open($"void {Pb}.IBufferMessage.InternalMergeFrom(ref {Pb}.ParseContext input)");
            if (carries)
            {
                w.Line($"{v}? __m = null;");
            }

            w.Line("uint tag;");
            w.Open("while ((tag = input.ReadTag()) != 0)");
            w.Line("if ((tag & 7) == 4) { break; }");
            w.Open("switch (tag)");
            w.Line("default:");
            w.Line($"    _unknownFields = {Pb}.UnknownFieldSet.MergeFieldFrom(_unknownFields, ref input);");
            w.Line("    break;");
            if (carries)
            {
                // A value seen again merges into the one this parse owns; a value the message already held may be shared, so it is cloned once.
                w.Line("case 10:");
                w.Line($"    __m ??= __value is null ? {v}.CreateParseTarget() : (({Pb}.IDeepCloneable<{v}>)__value).Clone();");
                w.Line("    input.ReadMessage(__m);");
                w.Line("    __value = __m;");
                w.Line("    break;");
            }

            w.Close();
            w.Close();
            if (carries)
            {
                w.Line("// proto3: an absent message field reads as the default message.");
                w.Line($"__value ??= new {v}();");
            }

            w.Close();
            w.Line();
            w.Open($"{t} {Pb}.IDeepCloneable<{t}>.Clone()");
            w.Line("var clone = this with { };");
            if (carries)
            {
                w.Line($"if (__value is not null) {{ clone.__value = (({Pb}.IDeepCloneable<{v}>)__value).Clone(); }}");
            }

            w.Line($"clone._unknownFields = {Pb}.UnknownFieldSet.Clone(_unknownFields);");
            w.Line("return clone;");
            w.Close();
            w.Line();
            w.Line("/// <summary>Value equality over the key and the value; unknown fields are ignored.</summary>");
            w.Open($"public bool Equals({t}? other)");
            w.Line("if (ReferenceEquals(this, other)) { return true; }");
            w.Line("if (other is null) { return false; }");
            w.Line($"return global::System.Collections.Generic.EqualityComparer<{k}>.Default.Equals(__key, other.__key){(carries ? $" && global::System.Collections.Generic.EqualityComparer<{v}?>.Default.Equals(__value, other.__value)" : string.Empty)};");
            w.Close();
            w.Line();
            w.Line("/// <inheritdoc />");
            w.Line($"public override int GetHashCode() => {(carries ? "global::System.HashCode.Combine(__key, __value)" : $"global::System.Collections.Generic.EqualityComparer<{k}>.Default.GetHashCode(__key)")};");
            w.Close();
        }

        private static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
