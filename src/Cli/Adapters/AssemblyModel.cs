using System.Buffers;
using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace KafkaTyped.Cli.Adapters;

/// <summary>A <c>.proto</c> file an assembly declares, with its imports.</summary>
internal sealed record ProtoFileInfo(string Name, string Package, string Text, byte[] Descriptor, IReadOnlyList<ProtoFileInfo> Dependencies)
{
    public bool IsWellKnown => Name.StartsWith("google/protobuf/", StringComparison.Ordinal);
}

/// <summary>The key of a message: the <c>[Key]</c> member and its CLR type (<c>string</c>, <c>int</c>, <c>long</c> or <c>Guid</c>).</summary>
internal sealed record KeyInfo(string Member, string ClrType);

/// <summary>A message set (one topic) an assembly declares.</summary>
internal sealed record MessageSetInfo(string ClassName, string Topic, int Partitions, short ReplicationFactor, ProtoFileInfo File, IReadOnlyList<string> MessageNames, IReadOnlyList<KeyInfo?> Keys);

/// <summary>A consumer group an assembly declares: its id, the topics it reads and the handler class.</summary>
internal sealed record ConsumerGroupInfo(string GroupId, IReadOnlyList<string> Topics, string Handler);

/// <summary>
/// What a compiled KafkaTyped application exposes: the generated <c>KafkaTyped.Generated.ProtoSchemas</c> (files and
/// message sets), the generated consumer-group dispatchers, and the <c>[Key]</c> members of its messages.
/// </summary>
/// <remarks>
/// The assembly is loaded into its own load context and read by member names only (no shared types), so an application
/// built against another KafkaTyped version can still be read. Generated code is the contract here: if its names change,
/// this class is the one place to adapt.
/// </remarks>
internal sealed class AssemblyModel
{
    private const string ProtoSchemasType = "KafkaTyped.Generated.ProtoSchemas";
    private const string DispatcherBase = "KafkaTyped.Consuming.ConsumerGroupDispatcher";
    private const string KeyAttributeName = "KafkaTyped.KeyAttribute";
    private const string KeyedMessageInterface = "KafkaTyped.Protobuf.IKeyedMessage";

    private readonly Dictionary<string, Type> messageTypes;

    private AssemblyModel(string name, string version, IReadOnlyList<MessageSetInfo> sets, IReadOnlyList<ProtoFileInfo> files, IReadOnlyList<ConsumerGroupInfo> groups, Dictionary<string, Type> messageTypes)
    {
        Name = name;
        Version = version;
        Sets = sets;
        Files = files;
        Groups = groups;
        this.messageTypes = messageTypes;
    }

    public string Name { get; }

    public string Version { get; }

    public IReadOnlyList<MessageSetInfo> Sets { get; }

    public IReadOnlyList<ProtoFileInfo> Files { get; }

    public IReadOnlyList<ConsumerGroupInfo> Groups { get; }

    /// <summary>Loads and reads an application or library assembly.</summary>
    /// <exception cref="CliException">The file is missing, not an assembly, or has no generated KafkaTyped schemas.</exception>
    public static AssemblyModel Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new CliException($"Assembly '{path}' not found.", ExitCodes.NotFound);
        }

        Assembly assembly;
        try
        {
            assembly = new InspectionLoadContext(full).LoadFromAssemblyPath(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new CliException($"'{path}' is not a .NET assembly that can be loaded: {e.Message}", ExitCodes.Usage);
        }

        var types = LoadableTypes(assembly);
        var schemas = assembly.GetType(ProtoSchemasType, throwOnError: false)
            ?? throw new CliException($"'{path}' has no generated KafkaTyped schemas ({ProtoSchemasType}): build it with the KafkaTyped package and at least one [Topic].", ExitCodes.NotFound);

        var messageTypes = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static) is { } descriptor
                && descriptor.PropertyType.FullName == "Google.Protobuf.Reflection.MessageDescriptor"
                && Invoke(() => descriptor.GetValue(null)) is { } value
                && Read(value, "FullName") is string fullName)
            {
                messageTypes.TryAdd(fullName, type);
            }
        }

        var fileCache = new Dictionary<string, ProtoFileInfo>(StringComparer.Ordinal);
        var files = Enumerate(Invoke(() => schemas.GetProperty("Files")?.GetValue(null))).OfType<object>().Select(f => ReadFile(f, fileCache)).ToList();
        var sets = new List<MessageSetInfo>();
        foreach (var set in Enumerate(Invoke(() => schemas.GetProperty("Sets")?.GetValue(null))))
        {
            if (set is null)
            {
                continue;
            }

            var names = Enumerate(Read(set, "MessageNames")).Select(n => (string)n!).ToList();
            sets.Add(new MessageSetInfo(
                set.GetType().Name,
                (string)Read(set, "Topic")!,
                (int)Read(set, "Partitions")!,
                Read(set, "ReplicationFactor") is short rf ? rf : (short)-1,
                ReadFile(Read(set, "File")!, fileCache),
                names,
                names.Select(n => messageTypes.TryGetValue(n, out var t) ? FindKey(t) : null).ToList()));
        }

        var groups = new List<ConsumerGroupInfo>();
        foreach (var type in types.Where(t => !t.IsAbstract && DerivesFrom(t, DispatcherBase)))
        {
            // The generated GroupId and Topics read constants and a static array: no constructor (and no DI) is needed.
            var dispatcher = RuntimeHelpers.GetUninitializedObject(type);
            var groupId = (string)Read(dispatcher, "GroupId")!;
            var topics = Enumerate(Read(dispatcher, "Topics")).OfType<object>().Select(s => (string)Read(s, "Topic")!).ToList();
            var handler = type.Name.EndsWith("Dispatcher", StringComparison.Ordinal) ? type.Name[..^"Dispatcher".Length] : type.Name;
            groups.Add(new ConsumerGroupInfo(groupId, topics, handler));
        }

        var name = assembly.GetName();
        return new AssemblyModel(name.Name ?? Path.GetFileNameWithoutExtension(full), name.Version?.ToString() ?? "0.0.0", sets, files, groups.OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList(), messageTypes);
    }

    /// <summary>The set that writes <paramref name="topic"/>, or null.</summary>
    public MessageSetInfo? FindSet(string topic) => Sets.FirstOrDefault(s => string.Equals(s.Topic, topic, StringComparison.Ordinal));

    /// <summary>
    /// The Kafka key the generated producer writes for a message, computed by the generated code itself: the payload is
    /// parsed with the message's generated parser and its <c>WriteKey</c> called. Null for messages without a key.
    /// </summary>
    public byte[]? ComputeKey(string messageName, byte[] payload)
    {
        // Generated messages implement IKeyedMessage.WriteKey, possibly explicitly: take it from the interface.
        if (!messageTypes.TryGetValue(messageName, out var type)
            || type.GetInterfaces().FirstOrDefault(i => i.FullName == KeyedMessageInterface)?.GetMethod("WriteKey", [typeof(IBufferWriter<byte>)]) is not { } writeKey
            || type.GetProperty("Parser", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is not { } parser
            || parser.GetType().GetMethod("ParseFrom", [typeof(byte[])]) is not { } parse)
        {
            return null;
        }

        var message = Invoke(() => parse.Invoke(parser, [payload]));
        var buffer = new ArrayBufferWriter<byte>();
        Invoke(() => writeKey.Invoke(message, [buffer]));
        return buffer.WrittenSpan.ToArray();
    }

    private static KeyInfo? FindKey(Type messageType)
    {
        foreach (var property in messageType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (HasKeyAttribute(property.GetCustomAttributesData()))
            {
                return new KeyInfo(property.Name, ClrName(property.PropertyType));
            }
        }

        foreach (var constructor in messageType.GetConstructors())
        {
            foreach (var parameter in constructor.GetParameters())
            {
                if (HasKeyAttribute(parameter.GetCustomAttributesData()))
                {
                    return new KeyInfo(parameter.Name ?? "?", ClrName(parameter.ParameterType));
                }
            }
        }

        return null;
    }

    private static bool HasKeyAttribute(IList<CustomAttributeData> attributes) =>
        attributes.Any(a => a.AttributeType.FullName == KeyAttributeName);

    private static string ClrName(Type type) => type.FullName switch
    {
        "System.String" => "string",
        "System.Int32" => "int",
        "System.Int64" => "long",
        "System.Guid" => "Guid",
        _ => type.Name,
    };

    private static ProtoFileInfo ReadFile(object file, Dictionary<string, ProtoFileInfo> cache)
    {
        var name = (string)Read(file, "Name")!;
        if (cache.TryGetValue(name, out var known))
        {
            return known;
        }

        var dependencies = Enumerate(Read(file, "Dependencies")).OfType<object>().Select(d => ReadFile(d, cache)).ToList();
        var info = new ProtoFileInfo(name, (string?)Read(file, "Package") ?? string.Empty, (string)Read(file, "Text")!, (byte[])Read(file, "Descriptor")!, dependencies);
        cache[name] = info;
        return info;
    }

    private static bool DerivesFrom(Type type, string baseName)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.FullName == baseName)
            {
                return true;
            }
        }

        return false;
    }

    private static IReadOnlyList<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.Where(t => t is not null).ToList()!;
        }
    }

    private static object? Read(object target, string property) =>
        Invoke(() => target.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance)?.GetValue(target));

    private static IEnumerable<object?> Enumerate(object? value) => value is IEnumerable items ? items.Cast<object?>() : [];

    private static T Invoke<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new CliException($"The assembly's generated code failed: {e.InnerException.GetType().Name}: {e.InnerException.Message}", ExitCodes.Failed);
        }
    }

    /// <summary>Loads the application's own dependencies from its folder; anything it lacks comes from the tool.</summary>
    private sealed class InspectionLoadContext(string mainPath) : AssemblyLoadContext("kafkatyped-inspection")
    {
        private readonly AssemblyDependencyResolver resolver = new(mainPath);
        private readonly string directory = Path.GetDirectoryName(mainPath)!;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = resolver.ResolveAssemblyToPath(assemblyName);
            if (path is null)
            {
                var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
                path = File.Exists(candidate) ? candidate : null;
            }

            return path is null ? null : LoadFromAssemblyPath(path);
        }
    }
}
