using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>Settings of the embedded Schema Registry.</summary>
public sealed class EmbeddedSchemaRegistryOptions
{
    /// <summary>The topic schemas are stored in (one partition). Default <c>_schemas</c>, like Confluent's.</summary>
    public string Topic { get; set; } = "_schemas";

    /// <summary>The port on 127.0.0.1; 0 (default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The global compatibility level until one is set through the API. Default BACKWARD.</summary>
    public CompatibilityLevel DefaultCompatibility { get; set; } = CompatibilityLevel.Backward;

    /// <summary>
    /// Apply KafkaTyped's stricter rules on top of Confluent's (a proto3 field turned repeated, a new field on a
    /// reserved number). Default true; false judges exactly as Confluent's registry does.
    /// </summary>
    public bool StrictCompatibility { get; set; } = true;

    /// <summary>When set with <see cref="BasicAuthPassword"/>, requests must carry these basic-auth credentials (401 otherwise).</summary>
    public string? BasicAuthUsername { get; set; }

    /// <summary>The required basic-auth password.</summary>
    public string? BasicAuthPassword { get; set; }

    /// <summary>When set, requests must carry <c>Authorization: Bearer</c> with this token (401 otherwise); replaces basic auth.</summary>
    public string? BearerToken { get; set; }

    /// <summary>How long startup and each write may wait for the store topic. Default 30 s.</summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Extra librdkafka settings for the store's producer and consumer (security settings, for example).</summary>
    public IDictionary<string, string> KafkaSettings { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
