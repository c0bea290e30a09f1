using System.Collections.Concurrent;
using System.Globalization;
using KafkaTyped.SchemaModel;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Framing;

/// <summary>
/// Maps a frame's (schema id, message-index path) to the local message index of one message set (the position in
/// <see cref="MessageSetDefinition.MessageNames"/>), which generated code switches on to pick the parser.
/// </summary>
/// <remarks>
/// <para>Ids this process registered or looked up resolve from a dictionary (<see cref="TryResolve"/>, no allocation).
/// A record written with another version of the set's schema (another application, an older or newer build) carries
/// an unknown id: <see cref="ResolveAsync"/> fetches that schema once, maps its top-level messages to local members by
/// full name and caches the mapping.</para>
/// <para>Thread-safe. Unresolvable frames throw <see cref="MessageFormatException"/> (dead-letter them); a registry
/// that cannot be reached throws <see cref="SchemaRegistryException"/> (transient: retry, do not dead-letter).</para>
/// </remarks>
internal sealed class MessageIndexResolver
{
    private readonly MessageSetDefinition set;
    private readonly ISchemaRegistry registry;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<int, int[]> topLevelMaps = new();
    private readonly Dictionary<string, int> localIndexByName;

    // The id this process writes with, checked before the dictionary: by far the most frequent id on the topic.
    private readonly int primaryId;
    private readonly int[]? primaryMap;

    /// <summary>Creates a resolver for a registered set.</summary>
    public MessageIndexResolver(RegisteredMessageSet registered, ISchemaRegistry registry, ILogger<MessageIndexResolver>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(registered);
        this.registry = registry ?? throw new ArgumentNullException(nameof(registry));
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        set = registered.Definition;
        localIndexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < set.MessageNames.Count; i++)
        {
            localIndexByName[set.MessageNames[i]] = i;
        }

        // The ids this process writes with: invert member → (id, path).
        var perId = new Dictionary<int, List<(int Top, int Local)>>();
        for (var i = 0; i < registered.Count; i++)
        {
            var path = registered.GetPath(i);
            if (!path.IsTopLevel)
            {
                continue;
            }

            if (!perId.TryGetValue(registered.GetSchemaId(i), out var list))
            {
                perId[registered.GetSchemaId(i)] = list = [];
            }

            list.Add((path.TopLevelIndex, i));
        }

        foreach (var (id, list) in perId)
        {
            var map = new int[list.Max(static e => e.Top) + 1];
            Array.Fill(map, -1);
            foreach (var (top, local) in list)
            {
                map[top] = local;
            }

            topLevelMaps[id] = map;
        }

        primaryId = registered.SchemaId;
        topLevelMaps.TryGetValue(primaryId, out primaryMap);
    }

    /// <summary>The set this resolver serves.</summary>
    public MessageSetDefinition Set => set;

    /// <summary>Resolves from memory; false when the id is not known yet or the path names no member.</summary>
    public bool TryResolve(in WireHeader header, out int localIndex)
    {
        var map = header.SchemaId == primaryId ? primaryMap : null;
        if ((map is not null || topLevelMaps.TryGetValue(header.SchemaId, out map)) && header.Path.IsTopLevel && (uint)header.Path.TopLevelIndex < (uint)map.Length)
        {
            localIndex = map[header.Path.TopLevelIndex];
            return localIndex >= 0;
        }

        localIndex = -1;
        return false;
    }

    /// <summary>Resolves a frame, fetching an unknown schema id from the registry once.</summary>
    /// <exception cref="MessageFormatException">The id is unknown to the registry, or the path names no member of the set.</exception>
    /// <exception cref="SchemaRegistryException">The registry could not be reached (transient).</exception>
    public ValueTask<int> ResolveAsync(WireHeader header, string? topic = null, int? partition = null, long? offset = null, CancellationToken cancellationToken = default)
    {
        if (TryResolve(header, out var localIndex))
        {
            return ValueTask.FromResult(localIndex);
        }

        return ResolveSlowAsync(header, topic, partition, offset, cancellationToken);
    }

    private async ValueTask<int> ResolveSlowAsync(WireHeader header, string? topic, int? partition, long? offset, CancellationToken cancellationToken)
    {
        if (!topLevelMaps.TryGetValue(header.SchemaId, out var map))
        {
            map = await LoadMapAsync(header.SchemaId, topic, partition, offset, cancellationToken).ConfigureAwait(false);
        }

        if (header.Path.IsTopLevel && (uint)header.Path.TopLevelIndex < (uint)map.Length && map[header.Path.TopLevelIndex] >= 0)
        {
            return map[header.Path.TopLevelIndex];
        }

        throw new MessageFormatException(
            $"Message index {header.Path} of schema id {header.SchemaId.ToString(CultureInfo.InvariantCulture)} names no message of set {set} (members: {string.Join(", ", set.MessageNames)}). The record holds a message type this application does not handle; add it to the set or route it elsewhere.",
            topic,
            partition,
            offset)
        { SchemaId = header.SchemaId };
    }

    private async Task<int[]> LoadMapAsync(int schemaId, string? topic, int? partition, long? offset, CancellationToken cancellationToken)
    {
        Schema schema;
        try
        {
            schema = await registry.GetSchemaByIdAsync(schemaId, cancellationToken).ConfigureAwait(false);
        }
        catch (SchemaRegistryException ex) when (ex.HttpStatus is >= 400 and < 500)
        {
            throw new MessageFormatException($"Schema id {schemaId.ToString(CultureInfo.InvariantCulture)} is unknown to the Schema Registry ({ex.Message}); the record was written against another registry or its schema was deleted.", topic, partition, offset, ex) { SchemaId = schemaId };
        }

        if (!string.Equals(schema.SchemaType, Schema.Protobuf, StringComparison.Ordinal))
        {
            throw new MessageFormatException($"Schema id {schemaId.ToString(CultureInfo.InvariantCulture)} is a {schema.SchemaType} schema, not Protobuf; the record was not written for set {set}.", topic, partition, offset) { SchemaId = schemaId };
        }

        ProtoFileModel model;
        try
        {
            model = ProtoParser.Parse(schema.Text);
        }
        catch (ProtoParseException ex)
        {
            throw new MessageFormatException($"Schema id {schemaId.ToString(CultureInfo.InvariantCulture)} could not be read as .proto text: {ex.Message}", topic, partition, offset, ex) { SchemaId = schemaId };
        }

        var map = new int[model.Messages.Count];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = localIndexByName.TryGetValue(model.Messages[i].FullName, out var local) ? local : -1;
        }

        SchemaRegistryLog.ForeignSchemaMapped(logger, schemaId, set.ToString());
        return topLevelMaps.GetOrAdd(schemaId, map);
    }
}
