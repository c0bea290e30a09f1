using System.Text.Json.Serialization;

namespace KafkaTyped.SchemaRegistry;

// Wire contracts of the Schema Registry REST API (PROTOCOLS.md §2), shared by the HTTP client and the embedded
// registry. Source-generated serialization only: no reflection-based System.Text.Json.
internal sealed class SchemaRequestJson
{
    [JsonPropertyName("schemaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SchemaType { get; set; }

    [JsonPropertyName("schema")]
    public string? Schema { get; set; }

    [JsonPropertyName("references")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<SchemaReferenceJson>? References { get; set; }

    // Registration at a given id and version: IMPORT mode only.
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Id { get; set; }

    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; set; }
}

internal sealed class SchemaReferenceJson
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("version")]
    public int Version { get; set; }
}

internal sealed class SchemaResponseJson
{
    [JsonPropertyName("subject")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Subject { get; set; }

    [JsonPropertyName("version")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Version { get; set; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Id { get; set; }

    [JsonPropertyName("schemaType")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SchemaType { get; set; }

    [JsonPropertyName("references")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<SchemaReferenceJson>? References { get; set; }

    [JsonPropertyName("schema")]
    public string? Schema { get; set; }
}

internal sealed class IdResponseJson
{
    [JsonPropertyName("id")]
    public int Id { get; set; }
}

internal sealed class CompatibilityResponseJson
{
    [JsonPropertyName("is_compatible")]
    public bool IsCompatible { get; set; }

    [JsonPropertyName("messages")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Messages { get; set; }
}

// The compatibility JSON is asymmetric: GET answers compatibilityLevel, PUT takes and echoes compatibility.
internal sealed class ConfigGetResponseJson
{
    [JsonPropertyName("compatibilityLevel")]
    public string? CompatibilityLevel { get; set; }
}

internal sealed class ConfigPutJson
{
    [JsonPropertyName("compatibility")]
    public string? Compatibility { get; set; }
}

internal sealed class SubjectVersionJson
{
    [JsonPropertyName("subject")]
    public string? Subject { get; set; }

    [JsonPropertyName("version")]
    public int Version { get; set; }
}

internal sealed class ModeJson
{
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }
}

internal sealed class ErrorResponseJson
{
    [JsonPropertyName("error_code")]
    public int ErrorCode { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SchemaRequestJson))]
[JsonSerializable(typeof(SchemaResponseJson))]
[JsonSerializable(typeof(IdResponseJson))]
[JsonSerializable(typeof(CompatibilityResponseJson))]
[JsonSerializable(typeof(ConfigGetResponseJson))]
[JsonSerializable(typeof(ConfigPutJson))]
[JsonSerializable(typeof(ErrorResponseJson))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<SchemaResponseJson>))]
[JsonSerializable(typeof(List<SubjectVersionJson>))]
[JsonSerializable(typeof(ModeJson))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(int))]
internal sealed partial class SchemaRegistryJsonContext : JsonSerializerContext;
