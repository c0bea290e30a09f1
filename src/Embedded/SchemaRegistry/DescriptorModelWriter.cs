using Google.Protobuf.Reflection;
using Google.Protobuf;
using KafkaTyped.SchemaModel;
using KafkaTyped.SchemaRegistry;
using Label = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;
using Type = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>
/// Builds the <c>FileDescriptorProto</c> that <c>?format=serialized</c> answers with (base64), from the canonical model
/// of a stored schema: what Confluent's registry returns and its Protobuf deserializers (JavaScript, Go, Python) parse.
/// </summary>
/// <remarks>
/// Like Confluent's registry, the root file is named <c>default</c> and lists its imports by the names the schema
/// imports them under, which are the names of its references; clients resolve each dependency through the reference of
/// that name. Type names are fully qualified. The canonical model keeps no options, so the descriptor carries none
/// (no <c>json_name</c> either, as protoc's C# output); map entries come after nested messages.
/// </remarks>
internal static class DescriptorModelWriter
{
    /// <summary>The name Confluent's registry gives the root file of a serialized schema.</summary>
    public const string RootFileName = "default";

    // Enums of the built-in files, which the model of a referencing file cannot see (it treats unknown names as messages).
    private static readonly HashSet<string> BuiltInEnums = new(StringComparer.Ordinal)
    {
        "google.protobuf.NullValue", "google.protobuf.Syntax", "google.protobuf.Field.Kind", "google.protobuf.Field.Cardinality",
        "google.type.DayOfWeek", "google.type.Month", "google.type.CalendarPeriod",
    };

    public static string ToBase64(ProtoFileModel file) => Convert.ToBase64String(Build(file).ToByteArray());

    public static FileDescriptorProto Build(ProtoFileModel file)
    {
        var proto = new FileDescriptorProto { Name = RootFileName };
        if (file.Package.Length > 0)
        {
            proto.Package = file.Package;
        }

        proto.Dependency.AddRange(file.Imports);
        foreach (var message in file.Messages)
        {
            proto.MessageType.Add(Message(message, file.IsProto3));
        }

        foreach (var e in file.Enums)
        {
            proto.EnumType.Add(Enum(e));
        }

        // protoc leaves syntax unset for proto2 files.
        if (file.IsProto3)
        {
            proto.Syntax = file.Syntax;
        }

        return proto;
    }

    private static DescriptorProto Message(ProtoMessageModel message, bool proto3)
    {
        var proto = new DescriptorProto { Name = message.Name };
        var synthetic = new List<string>();
        foreach (var field in message.Fields)
        {
            var built = new FieldDescriptorProto { Name = field.Name, Number = field.Number };
            if (field.Kind == ProtoTypeKind.Map)
            {
                var entryName = ProtoMapEntryName.Of(field.Name);
                built.Label = Label.Repeated;
                built.Type = Type.Message;
                built.TypeName = "." + message.FullName + "." + entryName;
                var entry = new DescriptorProto { Name = entryName, Options = new MessageOptions { MapEntry = true } };
                entry.Field.Add(EntryField("key", 1, field.MapKeyType ?? "string"));
                entry.Field.Add(EntryField("value", 2, field.MapValueType ?? "string"));
                proto.NestedType.Add(entry);
            }
            else
            {
                built.Label = field.Label switch
                {
                    ProtoLabel.Repeated => Label.Repeated,
                    ProtoLabel.Required => Label.Required,
                    _ => Label.Optional,
                };
                SetType(built, field.Type, field.Kind);
            }

            if (field.Oneof is not null)
            {
                built.OneofIndex = message.Oneofs.IndexOf(field.Oneof);
            }
            else if (proto3 && field.Label == ProtoLabel.Optional && field.Kind != ProtoTypeKind.Map)
            {
                // proto3 `optional`: a synthetic oneof, declared after the real ones (protoc's order).
                built.Proto3Optional = true;
                built.OneofIndex = message.Oneofs.Count + synthetic.Count;
                synthetic.Add("_" + field.Name);
            }

            proto.Field.Add(built);
        }

        // Nested messages before the map entries added above: the model does not keep their relative order.
        var entries = proto.NestedType.ToList();
        proto.NestedType.Clear();
        foreach (var nested in message.Messages)
        {
            proto.NestedType.Add(Message(nested, proto3));
        }

        proto.NestedType.AddRange(entries);
        foreach (var e in message.Enums)
        {
            proto.EnumType.Add(Enum(e));
        }

        foreach (var name in message.Oneofs.Concat(synthetic))
        {
            proto.OneofDecl.Add(new OneofDescriptorProto { Name = name });
        }

        foreach (var range in message.ReservedRanges)
        {
            proto.ReservedRange.Add(new DescriptorProto.Types.ReservedRange { Start = range.Start, End = range.End + 1 });
        }

        proto.ReservedName.AddRange(message.ReservedNames);
        return proto;
    }

    private static FieldDescriptorProto EntryField(string name, int number, string type)
    {
        var field = new FieldDescriptorProto { Name = name, Number = number, Label = Label.Optional };
        SetType(field, type, ProtoScalars.IsScalar(type) ? ProtoTypeKind.Scalar : BuiltInEnums.Contains(type) ? ProtoTypeKind.Enum : ProtoTypeKind.Message);
        return field;
    }

    private static void SetType(FieldDescriptorProto field, string type, ProtoTypeKind kind)
    {
        if (kind == ProtoTypeKind.Scalar && ProtoScalars.IsScalar(type))
        {
            field.Type = Scalar(type);
            return;
        }

        field.Type = kind == ProtoTypeKind.Enum || BuiltInEnums.Contains(type) ? Type.Enum : Type.Message;
        field.TypeName = "." + type;
    }

    private static Type Scalar(string type) => type switch
    {
        "double" => Type.Double,
        "float" => Type.Float,
        "int64" => Type.Int64,
        "uint64" => Type.Uint64,
        "int32" => Type.Int32,
        "fixed64" => Type.Fixed64,
        "fixed32" => Type.Fixed32,
        "bool" => Type.Bool,
        "string" => Type.String,
        "bytes" => Type.Bytes,
        "uint32" => Type.Uint32,
        "sfixed32" => Type.Sfixed32,
        "sfixed64" => Type.Sfixed64,
        "sint32" => Type.Sint32,
        _ => Type.Sint64,
    };

    private static EnumDescriptorProto Enum(ProtoEnumModel model)
    {
        var proto = new EnumDescriptorProto { Name = model.Name };
        foreach (var (name, number) in model.Values)
        {
            proto.Value.Add(new EnumValueDescriptorProto { Name = name, Number = number });
        }

        return proto;
    }
}
