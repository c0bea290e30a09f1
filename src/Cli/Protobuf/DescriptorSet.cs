using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>
/// Google.Protobuf descriptors built at run time from <see cref="FileDescriptorProto"/>s (parsed from registry text or
/// taken from an assembly), with the Google well-known files added when imported. Records are then read and written by
/// walking these descriptors: there is no compiled type behind them.
/// </summary>
internal sealed class DescriptorSet
{
    private static readonly Dictionary<string, FileDescriptor> WellKnown = new[]
    {
        TimestampReflection.Descriptor, DurationReflection.Descriptor, WrappersReflection.Descriptor, EmptyReflection.Descriptor,
        StructReflection.Descriptor, AnyReflection.Descriptor, FieldMaskReflection.Descriptor,
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    private DescriptorSet(IReadOnlyList<FileDescriptor> files, FileDescriptor main)
    {
        Files = files;
        Main = main;
    }

    /// <summary>Every file, dependencies first.</summary>
    public IReadOnlyList<FileDescriptor> Files { get; }

    /// <summary>The file the set was built for (the schema's own file).</summary>
    public FileDescriptor Main { get; }

    /// <summary>True when an import name is a Google well-known file the registry and this tool have built in.</summary>
    public static bool IsWellKnown(string importName) => WellKnown.ContainsKey(importName);

    /// <summary>The built-in descriptor of a well-known file.</summary>
    public static FileDescriptorProto WellKnownProto(string importName) => FileDescriptorProto.Parser.ParseFrom(WellKnown[importName].SerializedData);

    /// <summary>Builds the descriptors of <paramref name="main"/> and <paramref name="dependencies"/> (any order).</summary>
    /// <exception cref="FormatException">The files do not form a valid schema (an undefined type, a missing import).</exception>
    public static DescriptorSet Build(FileDescriptorProto main, IEnumerable<FileDescriptorProto> dependencies)
    {
        var byName = new Dictionary<string, FileDescriptorProto>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            byName[dependency.Name] = dependency;
        }

        byName[main.Name] = main;
        var ordered = new List<FileDescriptorProto>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        Visit(main.Name, byName, ordered, visited);
        IReadOnlyList<FileDescriptor> built;
        try
        {
            built = FileDescriptor.BuildFromByteStrings(ordered.Select(f => f.ToByteString()));
        }
        catch (Exception e) when (e is DescriptorValidationException or ArgumentException or InvalidProtocolBufferException)
        {
            throw new FormatException($"The schema of {main.Name} could not be built: {e.Message}", e);
        }

        return new DescriptorSet(built, built[^1]);
    }

    /// <summary>The message at a Confluent message-index path of <see cref="Main"/>, or null.</summary>
    public MessageDescriptor? FindByPath(IReadOnlyList<int> path)
    {
        if (path.Count == 0 || path[0] < 0 || path[0] >= Main.MessageTypes.Count)
        {
            return null;
        }

        var message = Main.MessageTypes[path[0]];
        for (var level = 1; level < path.Count; level++)
        {
            if (path[level] < 0 || path[level] >= message.NestedTypes.Count)
            {
                return null;
            }

            message = message.NestedTypes[path[level]];
        }

        return message;
    }

    /// <summary>
    /// A message of <see cref="Main"/> by full name (<c>shop.Order</c>) or, when unambiguous, by simple name (<c>Order</c>),
    /// with its Confluent message-index path.
    /// </summary>
    public (MessageDescriptor Message, int[] Path)? FindByName(string name)
    {
        var all = new List<(MessageDescriptor, int[])>();
        for (var i = 0; i < Main.MessageTypes.Count; i++)
        {
            Collect(Main.MessageTypes[i], [i], all);
        }

        var exact = all.Where(m => m.Item1.FullName == name.TrimStart('.')).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var simple = all.Where(m => m.Item1.Name == name).ToList();
        return simple.Count == 1 ? simple[0] : null;
    }

    /// <summary>The top-level message names of <see cref="Main"/>, in message-index order.</summary>
    public IReadOnlyList<string> TopLevelNames => Main.MessageTypes.Select(m => m.FullName).ToList();

    private static void Collect(MessageDescriptor message, int[] path, List<(MessageDescriptor, int[])> into)
    {
        if (message.GetOptions()?.MapEntry == true)
        {
            return;
        }

        into.Add((message, path));
        for (var i = 0; i < message.NestedTypes.Count; i++)
        {
            Collect(message.NestedTypes[i], [.. path, i], into);
        }
    }

    private static void Visit(string name, Dictionary<string, FileDescriptorProto> byName, List<FileDescriptorProto> ordered, HashSet<string> visited)
    {
        if (!visited.Add(name))
        {
            return;
        }

        if (!byName.TryGetValue(name, out var file))
        {
            if (!WellKnown.ContainsKey(name))
            {
                throw new FormatException($"The schema imports '{name}', which is neither among its references nor a Google well-known file.");
            }

            file = WellKnownProto(name);
        }

        foreach (var dependency in file.Dependency)
        {
            Visit(dependency, byName, ordered, visited);
        }

        ordered.Add(file);
    }
}
