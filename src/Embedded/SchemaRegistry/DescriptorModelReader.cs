using Google.Protobuf.Reflection;
using KafkaTyped.SchemaModel;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>
/// Turns a serialized <c>FileDescriptorProto</c> (the base64 form Confluent's .NET serializer registers) into the same
/// <see cref="ProtoFileModel"/> the text parser builds, so both forms of one file get one canonical text and one id.
/// </summary>
internal static class DescriptorModelReader
{
    public static ProtoFileModel Read(byte[] descriptorBytes)
    {
        var proto = FileDescriptorProto.Parser.ParseFrom(descriptorBytes);
        var file = new ProtoFileModel
        {
            Syntax = string.IsNullOrEmpty(proto.Syntax) ? "proto2" : proto.Syntax,
            Package = proto.Package,
        };
        file.Imports.AddRange(proto.Dependency);
        var prefix = proto.Package.Length == 0 ? string.Empty : proto.Package + ".";
        foreach (var message in proto.MessageType)
        {
            file.Messages.Add(ReadMessage(message, prefix, file.IsProto3));
        }

        foreach (var e in proto.EnumType)
        {
            file.Enums.Add(ReadEnum(e, prefix));
        }

        return file;
    }

    private static ProtoMessageModel ReadMessage(DescriptorProto proto, string prefix, bool proto3)
    {
        var model = new ProtoMessageModel(proto.Name, prefix + proto.Name);
        var mapEntries = new Dictionary<string, DescriptorProto>(StringComparer.Ordinal);
        foreach (var nested in proto.NestedType)
        {
            if (nested.Options?.MapEntry == true)
            {
                mapEntries["." + model.FullName + "." + nested.Name] = nested;
                continue;
            }

            model.Messages.Add(ReadMessage(nested, model.FullName + ".", proto3));
        }

        foreach (var e in proto.EnumType)
        {
            model.Enums.Add(ReadEnum(e, model.FullName + "."));
        }

        var realOneofs = new HashSet<int>();
        foreach (var field in proto.Field)
        {
            if (field.HasOneofIndex && !field.Proto3Optional)
            {
                realOneofs.Add(field.OneofIndex);
            }
        }

        for (var i = 0; i < proto.OneofDecl.Count; i++)
        {
            if (realOneofs.Contains(i))
            {
                model.Oneofs.Add(proto.OneofDecl[i].Name);
            }
        }

        foreach (var field in proto.Field)
        {
            model.Fields.Add(ReadField(field, proto, mapEntries, proto3));
        }

        foreach (var range in proto.ReservedRange)
        {
            // Descriptor ranges are end-exclusive; the model's are inclusive like the text.
            model.ReservedRanges.Add(new ProtoRange(range.Start, range.End - 1));
        }

        model.ReservedNames.AddRange(proto.ReservedName);
        return model;
    }

    private static ProtoFieldModel ReadField(FieldDescriptorProto field, DescriptorProto owner, Dictionary<string, DescriptorProto> mapEntries, bool proto3)
    {
        if (field.Label == FieldDescriptorProto.Types.Label.Repeated && field.Type == FieldDescriptorProto.Types.Type.Message && mapEntries.TryGetValue(field.TypeName, out var entry))
        {
            var key = entry.Field.First(static f => f.Number == 1);
            var value = entry.Field.First(static f => f.Number == 2);
            return new ProtoFieldModel(field.Name, field.Number, ProtoLabel.None, "map")
            {
                Kind = ProtoTypeKind.Map,
                MapKeyType = TypeName(key),
                MapValueType = TypeName(value),
                Oneof = OneofOf(field, owner),
            };
        }

        var label = field.Label switch
        {
            FieldDescriptorProto.Types.Label.Repeated => ProtoLabel.Repeated,
            FieldDescriptorProto.Types.Label.Required => ProtoLabel.Required,
            _ when !proto3 => ProtoLabel.Optional,
            _ when field.Proto3Optional => ProtoLabel.Optional,
            _ => ProtoLabel.None,
        };
        if (field.HasOneofIndex && !field.Proto3Optional)
        {
            label = ProtoLabel.None;
        }

        return new ProtoFieldModel(field.Name, field.Number, label, TypeName(field))
        {
            Kind = field.Type switch
            {
                FieldDescriptorProto.Types.Type.Message or FieldDescriptorProto.Types.Type.Group => ProtoTypeKind.Message,
                FieldDescriptorProto.Types.Type.Enum => ProtoTypeKind.Enum,
                _ => ProtoTypeKind.Scalar,
            },
            Oneof = OneofOf(field, owner),
        };
    }

    private static string? OneofOf(FieldDescriptorProto field, DescriptorProto owner) =>
        field.HasOneofIndex && !field.Proto3Optional && field.OneofIndex < owner.OneofDecl.Count ? owner.OneofDecl[field.OneofIndex].Name : null;

    private static string TypeName(FieldDescriptorProto field) => field.Type switch
    {
        FieldDescriptorProto.Types.Type.Double => "double",
        FieldDescriptorProto.Types.Type.Float => "float",
        FieldDescriptorProto.Types.Type.Int64 => "int64",
        FieldDescriptorProto.Types.Type.Uint64 => "uint64",
        FieldDescriptorProto.Types.Type.Int32 => "int32",
        FieldDescriptorProto.Types.Type.Fixed64 => "fixed64",
        FieldDescriptorProto.Types.Type.Fixed32 => "fixed32",
        FieldDescriptorProto.Types.Type.Bool => "bool",
        FieldDescriptorProto.Types.Type.String => "string",
        FieldDescriptorProto.Types.Type.Bytes => "bytes",
        FieldDescriptorProto.Types.Type.Uint32 => "uint32",
        FieldDescriptorProto.Types.Type.Sfixed32 => "sfixed32",
        FieldDescriptorProto.Types.Type.Sfixed64 => "sfixed64",
        FieldDescriptorProto.Types.Type.Sint32 => "sint32",
        FieldDescriptorProto.Types.Type.Sint64 => "sint64",
        _ => field.TypeName.StartsWith('.') ? field.TypeName[1..] : field.TypeName,
    };

    private static ProtoEnumModel ReadEnum(EnumDescriptorProto proto, string prefix)
    {
        var model = new ProtoEnumModel(proto.Name, prefix + proto.Name);
        foreach (var value in proto.Value)
        {
            model.Values.Add(new KeyValuePair<string, int>(value.Name, value.Number));
        }

        return model;
    }
}
