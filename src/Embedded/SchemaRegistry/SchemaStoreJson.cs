using System.Text.Json.Serialization;
using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

// Records of the _schemas topic, shaped like Confluent's KafkaStore keys and values (JSON; a null value deletes).
// Config and mode values are the same JSON as the REST API's bodies, so they use ConfigGetResponseJson and ModeJson
// (RegistryContract/); mode keys are {"keytype":"MODE","subject":…}, no subject = the global mode.
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

[JsonSerializable(typeof(StoreKeyJson))]
[JsonSerializable(typeof(StoreSchemaValueJson))]
internal sealed partial class SchemaStoreJsonContext : JsonSerializerContext;
