using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// Writes the AsyncAPI 3.0 document of a built application assembly: its topics with their message sets and keys (from
/// the generated <c>KafkaTyped.Generated.ProtoSchemas</c>) and its consumer groups (the generated dispatchers). The
/// build calls it after compiling when <c>KafkaTypedAsyncApiFile</c> is set; <c>kafkatyped schemas export --asyncapi</c>
/// writes the same document with the same builder.
/// </summary>
/// <remarks>Build-time tooling: it reads the assembly by reflection, so it is not for trimmed or native AOT applications.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AsyncApiExporter
{
    private const string ProtoSchemasType = "KafkaTyped.Generated.ProtoSchemas";

    /// <summary>Writes the document of <paramref name="assembly"/> to <paramref name="path"/> (UTF-8, indented); returns false when the assembly declares no message set.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    [RequiresUnreferencedCode("Reads the generated schemas and dispatchers of an assembly by reflection (build-time tooling).")]
    [RequiresDynamicCode("Reads the generated schemas and dispatchers of an assembly by reflection (build-time tooling).")]
    public static bool Export(Assembly assembly, string path)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(path);
        if (assembly.GetType(ProtoSchemasType, throwOnError: false) is not { } schemas
            || schemas.GetProperty("Sets", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not IReadOnlyList<MessageSetDefinition> sets)
        {
            return false;
        }

        var types = LoadableTypes(assembly);
        var keys = MessageKeys(types);
        var topics = sets
            .Select(set => new ApiTopic(
                set.Topic,
                set.Partitions,
                set.ReplicationFactor > 0 ? set.ReplicationFactor : null,
                set.File.Text,
                set.Topic + "-value",
                set.MessageNames.Select(name => new ApiMessage(name, keys.GetValueOrDefault(name))).ToList(),
                Produced: true))
            .ToList();
        var groups = types
            .Where(t => !t.IsAbstract && typeof(ConsumerGroupDispatcher).IsAssignableFrom(t))
            .Select(Group)
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .ToList();

        var name = assembly.GetName();
        var document = AsyncApiDocument.Build(
            name.Name ?? "application",
            name.Version?.ToString() ?? "0.0.0",
            $"Kafka topics, message sets and consumer groups of {name.Name}, generated from its KafkaTyped-generated code by the build.",
            topics,
            groups,
            null,
            null);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return true;
    }

    [RequiresUnreferencedCode("Reads generated dispatchers by reflection.")]
    private static ApiGroup Group(Type dispatcherType)
    {
        // The generated GroupId and Topics read constants and a static array: no constructor (and no DI) is needed.
        var dispatcher = (ConsumerGroupDispatcher)RuntimeHelpers.GetUninitializedObject(dispatcherType);
        var handler = dispatcherType.Name.EndsWith("Dispatcher", StringComparison.Ordinal) ? dispatcherType.Name[..^"Dispatcher".Length] : dispatcherType.Name;
        return new ApiGroup(dispatcher.GroupId, handler, dispatcher.Topics.Select(t => t.Topic).ToList());
    }

    /// <summary>The <c>[Key]</c> type of each generated message, by Protobuf full name.</summary>
    [RequiresUnreferencedCode("Reads message types by reflection.")]
    private static Dictionary<string, string> MessageKeys(IEnumerable<Type> types)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor descriptor
                && KeyType(type) is { } key)
            {
                keys.TryAdd(descriptor.FullName, key);
            }
        }

        return keys;
    }

    [RequiresUnreferencedCode("Reads message types by reflection.")]
    private static string? KeyType(Type messageType)
    {
        // A record's positional [Key] sits on the constructor parameter unless written [property: Key].
        var keyed = messageType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.IsDefined(typeof(KeyAttribute), inherit: false)).Select(p => p.PropertyType)
            .Concat(messageType.GetConstructors().SelectMany(c => c.GetParameters())
                .Where(p => p.IsDefined(typeof(KeyAttribute), inherit: false)).Select(p => p.ParameterType))
            .FirstOrDefault();
        return keyed?.FullName switch
        {
            null => null,
            "System.String" => "string",
            "System.Int32" => "int",
            "System.Int64" => "long",
            "System.Guid" => "Guid",
            _ => keyed.Name,
        };
    }

    [RequiresUnreferencedCode("Enumerates the assembly's types.")]
    private static IReadOnlyList<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().ToList();
        }
    }
}
