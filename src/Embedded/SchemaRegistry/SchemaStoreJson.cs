using System.Text.Json.Serialization;

using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

// Records of the _schemas topic, shaped like Confluent's KafkaStore keys and values (JSON; a null value deletes).
internal sealed class StoreKeyJson
{
    [JsonPropertyName("keytype")]
    public string? KeyType { get; set; }

    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; set; }

    [JsonPropertyName("magic")]
    public int Magic { get; set; }
}

internal sealed class StoreSchemaValueJson
{
    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("version")]
    public int Version { get; set; }

    [JsonPropertyName("id")]
    public int Id { get; set; }

    [JsonPropertyName("schemaType")]
    public string? SchemaType { get; set; }

    [JsonPropertyName("schema")]
    public string? Schema { get; set; }

    [JsonPropertyName("references")]
    public List<SchemaReferenceJson>? References { get; set; }

    [JsonPropertyName("deleted")]
    public bool Deleted { get; set; }
}

internal sealed class StoreConfigValueJson
{
    [JsonPropertyName("compatibilityLevel")]
    public string? CompatibilityLevel { get; set; }
}

// Mode records: key {"keytype":"MODE","subject":…}, value {"mode":"READONLY"}; no subject = the global mode.
internal sealed class StoreModeValueJson
{
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }
}

[JsonSerializable(typeof(StoreKeyJson))]
[JsonSerializable(typeof(StoreModeValueJson))]
[JsonSerializable(typeof(StoreSchemaValueJson))]
[JsonSerializable(typeof(StoreConfigValueJson))]
internal sealed partial class SchemaStoreJsonContext : JsonSerializerContext;
