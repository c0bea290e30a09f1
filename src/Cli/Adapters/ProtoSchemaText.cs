using Google.Protobuf;
using Google.Protobuf.Reflection;
using KafkaTyped.SchemaModel;
using KafkaTyped.Embedded.SchemaRegistry;

namespace KafkaTyped.Cli.Adapters;

/// <summary>
/// Turns <c>.proto</c> text into a <see cref="FileDescriptorProto"/> with KafkaTyped's own parser (src/Shared/Schema,
/// compiled into the KafkaTyped assembly), so records can be read and written without compiled types. Everything past
/// this class works with Google.Protobuf's public descriptor types only.
/// </summary>
internal static class ProtoSchemaText
{
    /// <summary>Parses <paramref name="text"/> as the file <paramref name="fileName"/>, resolving type names against its imports.</summary>
    /// <exception cref="FormatException">The text is not valid <c>.proto</c> (the message says where).</exception>
    public static FileDescriptorProto Parse(string fileName, string text, IEnumerable<FileDescriptorProto> imports)
    {
        var importModels = imports.Select(i => DescriptorModelReader.Read(i.ToByteArray())).ToList();
        ProtoFileModel model;
        try
        {
            model = ProtoParser.Parse(text, importModels);
        }
        catch (ProtoParseException e)
        {
            throw new FormatException(e.Message, e);
        }

        var known = new Dictionary<string, ProtoTypeKind>(StringComparer.Ordinal);
        TypeResolver.Collect(model, known);
        foreach (var import in importModels)
        {
            TypeResolver.Collect(import, known);
        }

        var file = new FileDescriptorProto { Name = fileName, Package = model.Package };
        if (model.IsProto3)
        {
            file.Syntax = "proto3";
        }

        file.Dependency.AddRange(model.Imports);
        foreach (var message in model.Messages)
        {
            file.MessageType.Add(Message(message, model.IsProto3, known));
        }

        foreach (var e in model.Enums)
        {
            file.EnumType.Add(Enum(e));
        }

        return file;
    }

    /// <summary>The import names of a <c>.proto</c> text, without building anything (to fetch or find them first).</summary>
    public static IReadOnlyList<string> Imports(string text)
    {
        try
        {
            return ProtoParser.Parse(text).Imports;
        }
        catch (ProtoParseException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static DescriptorProto Message(ProtoMessageModel message, bool proto3, Dictionary<string, ProtoTypeKind> known)
    {
        var result = new DescriptorProto { Name = message.Name };
        foreach (var nested in message.Messages)
        {
            result.NestedType.Add(Message(nested, proto3, known));
        }

        foreach (var e in message.Enums)
        {
            result.EnumType.Add(Enum(e));
        }

        foreach (var oneof in message.Oneofs)
        {
            result.OneofDecl.Add(new OneofDescriptorProto { Name = oneof });
        }

        // proto3 `optional` fields each get a synthetic oneof, declared after the real ones (as protoc does).
        var synthetic = new List<string>();
        foreach (var field in message.Fields)
        {
            var descriptor = new FieldDescriptorProto { Name = field.Name, Number = field.Number };
            if (field.Kind == ProtoTypeKind.Map)
            {
                var entry = new DescriptorProto { Name = ProtoMapEntryName.Of(field.Name), Options = new MessageOptions { MapEntry = true } };
                entry.Field.Add(Typed(new FieldDescriptorProto { Name = "key", Number = 1, Label = FieldDescriptorProto.Types.Label.Optional }, field.MapKeyType ?? "string", known));
                entry.Field.Add(Typed(new FieldDescriptorProto { Name = "value", Number = 2, Label = FieldDescriptorProto.Types.Label.Optional }, field.MapValueType ?? "string", known));
                result.NestedType.Add(entry);
                descriptor.Label = FieldDescriptorProto.Types.Label.Repeated;
                descriptor.Type = FieldDescriptorProto.Types.Type.Message;
                descriptor.TypeName = "." + message.FullName + "." + entry.Name;
            }
            else
            {
                descriptor.Label = field.Label switch
                {
                    ProtoLabel.Repeated => FieldDescriptorProto.Types.Label.Repeated,
                    ProtoLabel.Required => FieldDescriptorProto.Types.Label.Required,
                    _ => FieldDescriptorProto.Types.Label.Optional,
                };
                Typed(descriptor, field.Type, known);
                if (proto3 && field.Label == ProtoLabel.Optional && field.Oneof is null)
                {
                    descriptor.Proto3Optional = true;
                    descriptor.OneofIndex = message.Oneofs.Count + synthetic.Count;
                    synthetic.Add("_" + field.Name);
                }
            }

            if (field.Oneof is not null)
            {
                descriptor.OneofIndex = message.Oneofs.IndexOf(field.Oneof);
            }

            foreach (var option in field.Options)
            {
                var parts = option.Split('=', 2, StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0] == "packed" && bool.TryParse(parts[1], out var packed))
                {
                    descriptor.Options = new FieldOptions { Packed = packed };
                }
            }

            result.Field.Add(descriptor);
        }

        foreach (var name in synthetic)
        {
            result.OneofDecl.Add(new OneofDescriptorProto { Name = name });
        }

        return result;
    }

    private static FieldDescriptorProto Typed(FieldDescriptorProto field, string type, Dictionary<string, ProtoTypeKind> known)
    {
        if (ScalarTypes.TryGetValue(type, out var scalar))
        {
            field.Type = scalar;
            return field;
        }

        var name = type.TrimStart('.');
        field.Type = known.TryGetValue(name, out var kind) && kind == ProtoTypeKind.Enum
            ? FieldDescriptorProto.Types.Type.Enum
            : FieldDescriptorProto.Types.Type.Message;
        field.TypeName = "." + name;
        return field;
    }

    private static EnumDescriptorProto Enum(ProtoEnumModel model)
    {
        var result = new EnumDescriptorProto { Name = model.Name };
        foreach (var (name, number) in model.Values)
        {
            result.Value.Add(new EnumValueDescriptorProto { Name = name, Number = number });
        }

        return result;
    }

    private static readonly Dictionary<string, FieldDescriptorProto.Types.Type> ScalarTypes = new(StringComparer.Ordinal)
    {
        ["double"] = FieldDescriptorProto.Types.Type.Double,
        ["float"] = FieldDescriptorProto.Types.Type.Float,
        ["int32"] = FieldDescriptorProto.Types.Type.Int32,
        ["int64"] = FieldDescriptorProto.Types.Type.Int64,
        ["uint32"] = FieldDescriptorProto.Types.Type.Uint32,
        ["uint64"] = FieldDescriptorProto.Types.Type.Uint64,
        ["sint32"] = FieldDescriptorProto.Types.Type.Sint32,
        ["sint64"] = FieldDescriptorProto.Types.Type.Sint64,
        ["fixed32"] = FieldDescriptorProto.Types.Type.Fixed32,
        ["fixed64"] = FieldDescriptorProto.Types.Type.Fixed64,
        ["sfixed32"] = FieldDescriptorProto.Types.Type.Sfixed32,
        ["sfixed64"] = FieldDescriptorProto.Types.Type.Sfixed64,
        ["bool"] = FieldDescriptorProto.Types.Type.Bool,
        ["string"] = FieldDescriptorProto.Types.Type.String,
        ["bytes"] = FieldDescriptorProto.Types.Type.Bytes,
    };
}
