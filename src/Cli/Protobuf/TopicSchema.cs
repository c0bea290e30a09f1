using System.Buffers;
using Google.Protobuf.Reflection;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.Protobuf;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>A message type of a topic's schema, ready to frame: schema id, message-index path and descriptor.</summary>
internal sealed record FramedType(int SchemaId, int[] Path, MessageDescriptor Descriptor)
{
    /// <summary>Confluent framing (magic byte, schema id, message indexes) followed by the payload.</summary>
    public byte[] Frame(byte[] payload)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 16);
        ConfluentWireFormat.WriteHeader(buffer, SchemaId, MessageIndexPath.Create(Path));
        buffer.Write(payload);
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>
/// The schema a topic's values are written with: the latest version registered under the topic's subject, or the
/// message set of a compiled application, registered exactly as its generated producer registers it at startup.
/// </summary>
internal abstract class TopicSchema
{
    public abstract string Source { get; }

    /// <summary>The type to write: <paramref name="type"/> (full or simple name), or the only message of the schema.</summary>
    /// <exception cref="CliException">No such type, or several and none named.</exception>
    public abstract FramedType Find(string? type);

    /// <summary>The key the application's generated producer would write for this message, or null.</summary>
    public virtual byte[]? DefaultKey(FramedType type, byte[] payload) => null;

    /// <summary>The CLR type of the message's <c>[Key]</c> member, when known (string, int, long, Guid).</summary>
    public virtual string? KeyType(FramedType type) => null;

    public static async Task<TopicSchema> ResolveAsync(CliContext context, string topic, string? subject, string? assemblyPath)
    {
        if (assemblyPath is null)
        {
            subject ??= SubjectNames.For(SubjectNameStrategy.Topic, topic, string.Empty);
            var (latest, set) = await new RegistrySchemas(context).LatestAsync(
                subject,
                $"No schema is registered under subject '{subject}': produce once from the application, pass --assembly with the application's assembly to register its message set, or name the subject with --subject").ConfigureAwait(false);
            return new Registered(set, latest.Id, $"subject '{subject}' version {latest.Version} (schema id {latest.Id})");
        }

        var model = AssemblyModel.Load(assemblyPath);
        var info = model.FindSet(topic)
            ?? throw new CliException($"'{assemblyPath}' declares no message set for topic '{topic}' (its topics: {string.Join(", ", model.Sets.Select(s => s.Topic))}).", ExitCodes.NotFound);
        var definition = new LoadedMessageSet(info);
        RegisteredMessageSet registered;
        try
        {
            registered = await context.CallRegistryAsync(r => new SchemaRegistration(r, context.Registration).RegisterAsync(definition)).ConfigureAwait(false);
        }
        catch (SchemaRegistrationException e)
        {
            throw new CliException(string.Join(" ", e.Problems), ExitCodes.Failed, e);
        }

        DescriptorSet descriptors;
        try
        {
            descriptors = DescriptorSet.Build(
                FileDescriptorProto.Parser.ParseFrom(info.File.Descriptor),
                Flatten(info.File).Select(f => FileDescriptorProto.Parser.ParseFrom(f.Descriptor)));
        }
        catch (FormatException e)
        {
            throw new CliException($"The message set of topic '{topic}' in '{assemblyPath}' could not be read: {e.Message}", ExitCodes.Failed, e);
        }

        return new Compiled(model, info, registered, descriptors, $"{info.ClassName} in {model.Name} (subject {string.Join(", ", registered.Subjects)}, schema id {registered.SchemaId})");
    }

    private static IEnumerable<ProtoFileInfo> Flatten(ProtoFileInfo file) =>
        file.Dependencies.SelectMany(d => Flatten(d).Append(d)).DistinctBy(f => f.Name);

    private static string Candidates(IEnumerable<string> names) => string.Join(", ", names);

    private sealed class Registered(DescriptorSet set, int schemaId, string source) : TopicSchema
    {
        public override string Source => source;

        public override FramedType Find(string? type)
        {
            if (type is null)
            {
                return set.Main.MessageTypes.Count == 1
                    ? new FramedType(schemaId, [0], set.Main.MessageTypes[0])
                    : throw new CliException($"The schema of {source} has several messages: name one with --type ({Candidates(set.TopLevelNames)}).", ExitCodes.Usage);
            }

            return set.FindByName(type) is { } found
                ? new FramedType(schemaId, found.Path, found.Message)
                : throw new CliException($"The schema of {source} has no message '{type}' (its messages: {Candidates(set.TopLevelNames)}).", ExitCodes.NotFound);
        }
    }

    private sealed class Compiled(AssemblyModel model, MessageSetInfo info, RegisteredMessageSet registered, DescriptorSet set, string source) : TopicSchema
    {
        public override string Source => source;

        public override FramedType Find(string? type)
        {
            int index;
            if (type is null)
            {
                index = info.MessageNames.Count == 1
                    ? 0
                    : throw new CliException($"Message set {info.ClassName} has several messages: name one with --type ({Candidates(info.MessageNames)}).", ExitCodes.Usage);
            }
            else
            {
                index = IndexOf(info.MessageNames, type);
                if (index < 0)
                {
                    throw new CliException($"Message set {info.ClassName} (topic '{info.Topic}') has no message '{type}' (its messages: {Candidates(info.MessageNames)}).", ExitCodes.NotFound);
                }
            }

            var descriptor = set.FindByName(info.MessageNames[index])!.Value.Message;
            return new FramedType(registered.GetSchemaId(index), registered.GetPath(index).ToArray(), descriptor);
        }

        public override byte[]? DefaultKey(FramedType type, byte[] payload) => model.ComputeKey(type.Descriptor.FullName, payload);

        public override string? KeyType(FramedType type)
        {
            var index = IndexOf(info.MessageNames, type.Descriptor.FullName);
            return index >= 0 ? info.Keys[index]?.ClrType : null;
        }

        private static int IndexOf(IReadOnlyList<string> names, string type)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] == type || names[i].EndsWith("." + type, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>A compiled application's message set, rebuilt on the tool's own KafkaTyped types for registration.</summary>
    private sealed class LoadedMessageSet(MessageSetInfo info) : MessageSetDefinition
    {
        private readonly ProtoFile file = ToProtoFile(info.File);

        public override string Topic => info.Topic;

        public override int Partitions => info.Partitions;

        public override short ReplicationFactor => info.ReplicationFactor;

        public override ProtoFile File => file;

        public override IReadOnlyList<string> MessageNames => info.MessageNames;

        private static ProtoFile ToProtoFile(ProtoFileInfo f) =>
            new(f.Name, f.Package, f.Text, f.Descriptor, f.Dependencies.Select(ToProtoFile).ToList());
    }
}
