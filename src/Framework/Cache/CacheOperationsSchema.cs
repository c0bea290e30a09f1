using Google.Protobuf;
using Google.Protobuf.Reflection;
using KafkaTyped.GeneratedCode;
using KafkaTyped.SchemaModel;

namespace KafkaTyped.Cache;

/// <summary>
/// Builds the <c>.proto</c> file of a cache's operation set at run time, for a value type known only by its descriptor.
/// What the file contains is <see cref="CacheOperationsProto"/>'s, the definition the generator emits from too; this
/// class only serializes it with Google.Protobuf.
/// </summary>
internal static class CacheOperationsSchema
{
    public static ProtoFile Build(string cacheName, MessageDescriptor value, ProtoFile? valueFile)
    {
        var valueFileName = value.File.Name;
        var package = CacheOperationsProto.Package(value.File.Package, cacheName);
        var fileName = CacheOperationsProto.FileName(package);

        var proto = new FileDescriptorProto { Name = fileName, Package = package, Syntax = "proto3" };
        proto.Dependency.Add(valueFileName);
        foreach (var name in CacheOperationsProto.MessageNames)
        {
            proto.MessageType.Add(CacheOperationsProto.CarriesValue(name) ? Carrying(name, value.FullName) : new DescriptorProto { Name = name });
        }

        var text = CacheOperationsProto.Text(cacheName, package, valueFileName, value.FullName);
        var dependency = valueFile ?? new ProtoFile(valueFileName, value.File.Package, string.Empty, value.File.SerializedData.ToByteArray(), []);
        return new ProtoFile(fileName, package, text, proto.ToByteArray(), [dependency]);
    }

    private static DescriptorProto Carrying(string name, string valueFullName) => new()
    {
        Name = name,
        Field =
        {
            new FieldDescriptorProto
            {
                Name = CacheOperationsProto.ValueFieldName,
                Number = CacheOperationsProto.ValueFieldNumber,
                Label = FieldDescriptorProto.Types.Label.Optional,
                Type = FieldDescriptorProto.Types.Type.Message,
                TypeName = "." + valueFullName,
            },
        },
    };
}
