using KafkaTyped.Roslyn.Model;
using static KafkaTyped.Generators.Emit.Messages.FieldAccess;

namespace KafkaTyped.Generators.Emit.Messages
{
    /// <summary>Emits what Google.Protobuf's reflection needs beyond the record's own properties: presence members and wire-typed adapters.</summary>
    internal static class ReflectionEmitter
    {
        /// <summary>The name reflection (descriptors, JsonFormatter) uses for a field: the property itself, or a generated adapter.</summary>
        public static string ReflectionName(FieldModel f) => NeedsAdapter(f) ? f.PropertyName + "ProtoValue" : f.PropertyName;

        public static bool NeedsAdapter(FieldModel f)
        {
            bool converted = f.Value.ClrKind != ClrKind.Native && f.Value.ClrKind != ClrKind.Message;
            return f.Label == FieldLabel.Repeated || f.Label == FieldLabel.Map ? converted : converted || !f.HasPublicWriter;
        }

        internal static void Presence(SourceWriter w, MessageModel m)
        {
            foreach (FieldModel f in m.Fields)
            {
                if (!ProtoSchema.IsProto3Optional(f))
                {
                    continue;
                }

                string name = ReflectionName(f);
                string me = "this." + f.PropertyName;
                w.Line($"/// <summary>Whether <see cref=\"{f.PropertyName}\"/> is set (Protobuf presence).</summary>");
                w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
                w.Line($"public bool Has{name} => {(f.IsNullableValueType ? me + ".HasValue" : me + " is not null")};");
                w.Line($"/// <summary>Clears <see cref=\"{f.PropertyName}\"/> (Protobuf presence).</summary>");
                w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
                w.Line($"public void Clear{name}() {{ {Assign(f, "this", "null")} }}");
                w.Line();
            }
        }

        internal static void Adapters(SourceWriter w, MessageModel m)
        {
            foreach (FieldModel f in m.Fields)
            {
                if (!NeedsAdapter(f))
                {
                    continue;
                }

                string me = "this." + f.PropertyName;
                ValueModel v = f.Value;
                w.Line($"/// <summary><see cref=\"{f.PropertyName}\"/> as Google.Protobuf's reflection sees it (descriptors, JsonFormatter).</summary>");
                w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
                w.Line("[global::System.Diagnostics.DebuggerBrowsable(global::System.Diagnostics.DebuggerBrowsableState.Never)]");
                if (f.Label == FieldLabel.Repeated)
                {
                    // A live view, not a copy: JsonParser fills repeated fields by adding to the list it gets.
                    string wire = WireType(v);
                    string view = $"global::KafkaTyped.GeneratedCode.ReflectionList<{m.FullTypeName}, {v.ClrType}, {wire}>";
                    string read = f.Collection == CollectionKind.ImmutableArray
                        ? $"static m => m.{f.PropertyName}.IsDefault ? null : (global::System.Collections.Generic.IReadOnlyList<{v.ClrType}>)m.{f.PropertyName}"
                        : $"static m => m.{f.PropertyName}";
                    string stored = f.Collection switch
                    {
                        CollectionKind.Array => "items.ToArray()",
                        CollectionKind.ImmutableArray => "global::System.Collections.Immutable.ImmutableArray.CreateRange(items)",
                        _ => "items",
                    };
                    w.Line($"public {view} {ReflectionName(f)} => new {view}(");
                    w.Line($"    this, {read}, static (m, items) => {{ {Assign(f, "m", stored)} }}, static x => {ToWire(v, "x")}, static x => {FromWire(v, "x")});");
                }
                else if (f.Label == FieldLabel.Map)
                {
                    // A live view, not a copy: JsonParser fills maps through the dictionary it gets.
                    string wire = WireType(v);
                    string view = $"global::KafkaTyped.GeneratedCode.ReflectionMap<{m.FullTypeName}, {f.Key!.ClrType}, {v.ClrType}, {wire}>";
                    w.Line($"public {view} {ReflectionName(f)} => new {view}(");
                    w.Line($"    this, static m => m.{f.PropertyName}, static (m, items) => {{ {Assign(f, "m", "items")} }}, static x => {ToWire(v, "x")}, static x => {FromWire(v, "x")});");
                }
                else
                {
                    bool converted = v.ClrKind != ClrKind.Native && v.ClrKind != ClrKind.Message;
                    string wire = converted ? WireType(v) : v.ClrType;
                    bool nullable = f.Label == FieldLabel.Optional;
                    string get;
                    string set;
                    if (!converted)
                    {
                        get = me;
                        set = "value";
                    }
                    else if (f.IsNullableValueType)
                    {
                        get = $"{me}.HasValue ? {ToWire(v, me + ".GetValueOrDefault()")} : null";
                        set = $"value is null ? null : {FromWire(v, "value")}";
                    }
                    else if (nullable)
                    {
                        get = $"{me} is null ? null : {ToWire(v, me)}";
                        set = $"value is null ? null : {FromWire(v, "value")}";
                    }
                    else
                    {
                        get = ToWire(v, me);
                        set = FromWire(v, "value");
                    }

                    string type = converted ? wire + (nullable ? "?" : string.Empty) : f.PropertyType;
                    w.Open($"public {type} {ReflectionName(f)}");
                    w.Line($"get => {get};");
                    w.Line($"set => {Assign(f, "this", set)}");
                    w.Close();
                }

                w.Line();
            }
        }

        private static string WireType(ValueModel v)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                case ClrKind.ReadOnlyMemory:
                case ClrKind.Guid:
                    return "global::Google.Protobuf.ByteString";
                case ClrKind.Decimal:
                    return "string";
                case ClrKind.DateTimeOffset:
                case ClrKind.DateTime:
                    return "global::Google.Protobuf.WellKnownTypes.Timestamp";
                case ClrKind.TimeSpan:
                    return "global::Google.Protobuf.WellKnownTypes.Duration";
                default:
                    return v.ClrType;
            }
        }

        private static string ToWire(ValueModel v, string e)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                    return $"global::Google.Protobuf.ByteString.CopyFrom({e} ?? global::System.Array.Empty<byte>())";
                case ClrKind.ReadOnlyMemory:
                    return $"global::Google.Protobuf.ByteString.CopyFrom({e}.Span)";
                case ClrKind.Guid:
                    return $"{WireCode.Codec}.ToByteString({e})";
                case ClrKind.Decimal:
                    return $"{WireCode.Codec}.FormatDecimal({e})";
                case ClrKind.DateTimeOffset:
                    return $"global::Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset({e})";
                case ClrKind.DateTime:
                    return $"{WireCode.Codec}.ToTimestamp({e})";
                case ClrKind.TimeSpan:
                    return $"global::Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan({e})";
                default:
                    return e;
            }
        }

        private static string FromWire(ValueModel v, string e)
        {
            switch (v.ClrKind)
            {
                case ClrKind.ByteArray:
                    return $"{e}.ToByteArray()";
                case ClrKind.ReadOnlyMemory:
                    return $"{e}.Memory";
                case ClrKind.Guid:
                    return $"{WireCode.Codec}.ToGuid({e})";
                case ClrKind.Decimal:
                    return $"{WireCode.Codec}.ParseDecimal({e})";
                case ClrKind.DateTimeOffset:
                    return $"{e}.ToDateTimeOffset()";
                case ClrKind.DateTime:
                    return $"{e}.ToDateTime()";
                case ClrKind.TimeSpan:
                    return $"{e}.ToTimeSpan()";
                default:
                    return e;
            }
        }
    }
}
