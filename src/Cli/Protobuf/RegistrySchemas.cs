using Google.Protobuf;
using Google.Protobuf.Reflection;
using KafkaTyped.Cli.Adapters;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Cli.Protobuf;

/// <summary>
/// Schemas fetched from the registry (by id, or the latest version of a subject) with their references, turned into
/// descriptors. Cached per id for the life of the command.
/// </summary>
internal sealed class RegistrySchemas(CliContext context)
{
    private static readonly string[] WellKnownNames =
    [
        "google/protobuf/timestamp.proto", "google/protobuf/duration.proto", "google/protobuf/wrappers.proto", "google/protobuf/empty.proto",
        "google/protobuf/struct.proto", "google/protobuf/any.proto", "google/protobuf/field_mask.proto",
    ];

    private readonly Dictionary<int, DescriptorSet> byId = [];

    /// <summary>The descriptors of schema <paramref name="id"/>.</summary>
    public async Task<DescriptorSet> ByIdAsync(int id)
    {
        if (byId.TryGetValue(id, out var known))
        {
            return known;
        }

        var schema = await context.CallRegistryAsync(r => r.GetSchemaByIdAsync(id).AsTask(), $"Schema id {id} is not in the registry").ConfigureAwait(false);
        var set = await BuildAsync($"schema-{id}.proto", schema, $"schema id {id}").ConfigureAwait(false);
        byId[id] = set;
        return set;
    }

    /// <summary>The latest version under <paramref name="subject"/> and its descriptors.</summary>
    public async Task<(RegisteredSchema Latest, DescriptorSet Set)> LatestAsync(string subject, string? notFound = null)
    {
        var latest = await context.CallRegistryAsync(r => r.GetLatestSchemaAsync(subject), notFound ?? $"No schema is registered under subject '{subject}'").ConfigureAwait(false);
        if (!byId.TryGetValue(latest.Id, out var set))
        {
            set = await BuildAsync(FileNameFor(subject), latest.Schema, $"subject '{subject}'").ConfigureAwait(false);
            byId[latest.Id] = set;
        }

        return (latest, set);
    }

    /// <summary>The file name a subject's schema is exported under: the subject itself when it names a file (a reference), else <c>{subject}.proto</c>.</summary>
    public static string FileNameFor(string subject) => subject.EndsWith(".proto", StringComparison.Ordinal) ? subject : subject + ".proto";

    /// <summary>Turns schema text (or a base64 descriptor) into a descriptor proto, resolving names against <paramref name="imports"/>.</summary>
    public static FileDescriptorProto ToProto(string fileName, string text, IEnumerable<FileDescriptorProto> imports)
    {
        var available = imports.ToList();
        foreach (var name in WellKnownNames)
        {
            if (available.All(i => i.Name != name))
            {
                available.Add(DescriptorSet.WellKnownProto(name));
            }
        }

        try
        {
            return ProtoSchemaText.Parse(fileName, text, available);
        }
        catch (FormatException) when (TryDescriptor(text, out var descriptor))
        {
            descriptor.Name = fileName;
            return descriptor;
        }
    }

    private async Task<DescriptorSet> BuildAsync(string fileName, Schema schema, string what)
    {
        if (!string.Equals(schema.SchemaType, Schema.Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"The schema of {what} is {schema.SchemaType}: kafkatyped reads Protobuf schemas only.", ExitCodes.Failed);
        }

        var dependencies = new Dictionary<string, FileDescriptorProto>(StringComparer.Ordinal);
        await CollectAsync(schema.References, dependencies).ConfigureAwait(false);
        try
        {
            var main = ToProto(fileName, schema.Text, dependencies.Values);
            return DescriptorSet.Build(main, dependencies.Values);
        }
        catch (FormatException e)
        {
            throw new CliException($"The schema of {what} could not be read: {e.Message}", ExitCodes.Failed, e);
        }
    }

    private async Task CollectAsync(IReadOnlyList<SchemaReference> references, Dictionary<string, FileDescriptorProto> into)
    {
        foreach (var reference in references)
        {
            if (into.ContainsKey(reference.Name))
            {
                continue;
            }

            var registered = await context.CallRegistryAsync(
                r => r.GetSchemaAsync(reference.Subject, reference.Version),
                $"The referenced schema '{reference.Subject}' version {reference.Version} is not in the registry").ConfigureAwait(false);
            await CollectAsync(registered.Schema.References, into).ConfigureAwait(false);
            try
            {
                into[reference.Name] = ToProto(reference.Name, registered.Schema.Text, into.Values);
            }
            catch (FormatException e)
            {
                throw new CliException($"The referenced schema '{reference.Subject}' could not be read: {e.Message}", ExitCodes.Failed, e);
            }
        }
    }

    private static bool TryDescriptor(string text, out FileDescriptorProto descriptor)
    {
        descriptor = null!;
        try
        {
            descriptor = FileDescriptorProto.Parser.ParseFrom(Convert.FromBase64String(text.Trim()));
            return descriptor.MessageType.Count > 0 || descriptor.EnumType.Count > 0;
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException)
        {
            return false;
        }
    }
}
