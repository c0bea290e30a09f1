using Google.Protobuf;
using Google.Protobuf.Reflection;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Cache;

/// <summary>
/// Builds the <c>.proto</c> file of a cache's operation set: <c>Added</c>, <c>Updated</c> and <c>Deleted</c> in that
/// order (their message indexes are <see cref="CacheOperationKind"/>), in package <c>{value package}.{cache_name}</c>,
/// importing the value's file.
/// </summary>
internal static class CacheOperationsSchema
{
    public static ProtoFile Build(string cacheName, MessageDescriptor value, ProtoFile? valueFile)
    {
        var valueFileName = value.File.Name;
        var package = string.IsNullOrEmpty(value.File.Package) ? Snake(cacheName) : $"{value.File.Package}.{Snake(cacheName)}";
        var fileName = package.Replace('.', '/') + ".proto";

        var proto = new FileDescriptorProto { Name = fileName, Package = package, Syntax = "proto3" };
        proto.Dependency.Add(valueFileName);
        proto.MessageType.Add(Carrying("Added", value.FullName));
        proto.MessageType.Add(Carrying("Updated", value.FullName));
        proto.MessageType.Add(new DescriptorProto { Name = "Deleted" });

        var text = $$"""
            syntax = "proto3";
            package {{package}};

            import "{{valueFileName}}";

            // Operations of the replicated cache '{{cacheName}}'. The Kafka key is the cache key; the state is a
            // function of the last record per key, so the compacted log and the full log give the same state.
            message Added {
              {{value.FullName}} value = 1;
            }

            message Updated {
              {{value.FullName}} value = 1;
            }

            // Followed by a tombstone (null value) so that compaction can drop the key.
            message Deleted {
            }

            """;

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
                Name = "value",
                Number = 1,
                Label = FieldDescriptorProto.Types.Label.Optional,
                Type = FieldDescriptorProto.Types.Type.Message,
                TypeName = "." + valueFullName,
            },
        },
    };

    /// <summary>The snake_case Protobuf identifier for a cache name: PriceCache → price_cache, "prices-v2" → prices_v2.</summary>
    internal static string Snake(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            builder.Append("cache_");
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!char.IsAsciiLetterOrDigit(c))
            {
                builder.Append('_');
            }
            else if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
