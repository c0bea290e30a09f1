using System.Text.Json;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>One schema version under a subject, as stored.</summary>
internal sealed record StoredSchema(string Subject, int Version, int Id, string SchemaType, string Text, IReadOnlyList<SchemaReference> References, bool Deleted)
{
    /// <summary>What makes two registrations "the same schema" (same id): type, canonical text and references.</summary>
    public string Identity => IdentityOf(SchemaType, Text, References);

    public static string IdentityOf(string schemaType, string text, IReadOnlyList<SchemaReference> references) =>
        schemaType + "\n" + string.Join(",", references.Select(static r => r.Name + "=" + r.Subject + "@" + r.Version)) + "\n" + text;
}

/// <summary>An error the embedded registry answers with: HTTP status plus the registry's error code.</summary>
internal sealed class RegistryError(int httpStatus, int errorCode, string message) : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;

    public int ErrorCode { get; } = errorCode;
}

/// <summary>
/// The materialized content of the <c>_schemas</c> topic. Every instance applies records in log order with the same
/// rules, first writer wins: a version already taken by another schema, or an id already bound to another schema,
/// makes a later record a no-op.
/// </summary>
internal sealed class SchemaState
{
    public object Gate { get; } = new();

    public Dictionary<string, SortedDictionary<int, StoredSchema>> Subjects { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, StoredSchema> ById { get; } = [];

    public Dictionary<string, int> IdByIdentity { get; } = new(StringComparer.Ordinal);

    /// <summary>Compatibility levels by subject; the empty string is the global level.</summary>
    public Dictionary<string, CompatibilityLevel> Configs { get; } = new(StringComparer.Ordinal);

    /// <summary>Modes by subject (<c>READWRITE</c>, <c>READONLY</c>, <c>IMPORT</c>); the empty string is the global mode.</summary>
    public Dictionary<string, string> Modes { get; } = new(StringComparer.Ordinal);

    public int MaxId { get; private set; }

    public void Apply(byte[] keyBytes, byte[]? valueBytes)
    {
        var key = JsonSerializer.Deserialize(keyBytes, SchemaStoreJsonContext.Default.StoreKeyJson);
        if (key is null)
        {
            return;
        }

        lock (Gate)
        {
            switch (key.KeyType)
            {
                case "SCHEMA" when key.Subject is not null && key.Version is { } version:
                    ApplySchema(key.Subject, version, valueBytes);
                    break;
                case "CONFIG":
                    var subject = key.Subject ?? string.Empty;
                    var config = valueBytes is null ? null : JsonSerializer.Deserialize(valueBytes, SchemaRegistryJsonContext.Default.ConfigGetResponseJson);
                    if (config is not null && CompatibilityLevels.TryParse(config.CompatibilityLevel, out var level))
                    {
                        Configs[subject] = level;
                    }
                    else
                    {
                        Configs.Remove(subject);
                    }

                    break;
                case "MODE":
                    var modeSubject = key.Subject ?? string.Empty;
                    var mode = valueBytes is null ? null : JsonSerializer.Deserialize(valueBytes, SchemaRegistryJsonContext.Default.ModeJson)?.Mode;
                    if (mode is null)
                    {
                        Modes.Remove(modeSubject);
                    }
                    else
                    {
                        Modes[modeSubject] = mode;
                    }

                    break;
            }
        }
    }

    private void ApplySchema(string subject, int version, byte[]? valueBytes)
    {
        Subjects.TryGetValue(subject, out var versions);
        if (valueBytes is null)
        {
            // Permanent delete (tombstone). The id stays bound to its schema: other subjects may use it.
            versions?.Remove(version);
            if (versions is { Count: 0 })
            {
                Subjects.Remove(subject);
            }

            return;
        }

        var value = JsonSerializer.Deserialize(valueBytes, SchemaStoreJsonContext.Default.StoreSchemaValueJson);
        if (value?.Schema is null)
        {
            return;
        }

        var references = (value.References ?? []).Select(static r => new SchemaReference(r.Name ?? string.Empty, r.Subject ?? string.Empty, r.Version)).ToArray();
        var stored = new StoredSchema(subject, version, value.Id, value.SchemaType ?? SchemaTypes.Protobuf, value.Schema, references, value.Deleted);
        var identity = stored.Identity;
        if (ById.TryGetValue(stored.Id, out var bound) && bound.Identity != identity)
        {
            return; // lost race: the id went to another schema first
        }

        if (IdByIdentity.TryGetValue(identity, out var boundId) && boundId != stored.Id)
        {
            return; // lost race: the same schema got an id first (same schema → same id)
        }

        if (versions is not null && versions.TryGetValue(version, out var existing) && (existing.Id != stored.Id || existing.Identity != identity))
        {
            return; // lost race: the version went to another schema first
        }

        if (versions is not null && !versions.ContainsKey(version) && versions.Values.Any(v => !v.Deleted && v.Identity == identity))
        {
            return; // lost race: the schema was registered under this subject concurrently
        }

        if (versions is null)
        {
            Subjects[subject] = versions = [];
        }

        versions[version] = stored;
        ById.TryAdd(stored.Id, stored);
        IdByIdentity.TryAdd(identity, stored.Id);
        MaxId = Math.Max(MaxId, stored.Id);
    }
}
