using KafkaTyped.SchemaRegistry;

namespace KafkaTyped.SchemaRegistry;

/// <summary>How message sets' schemas are registered or looked up at startup, bound from <c>KafkaTyped:Schemas</c>.</summary>
public sealed class SchemaRegistrationOptions
{
    /// <summary>The configuration section name below <c>KafkaTyped</c>.</summary>
    public const string SectionName = "Schemas";

    /// <summary>
    /// Register schemas at startup (default true). Set false in production where schemas are registered by a
    /// pipeline: startup then looks every schema up and fails with one exception listing every missing or
    /// incompatible schema.
    /// </summary>
    public bool AutoRegisterSchemas { get; set; } = true;

    /// <summary>
    /// Write with the latest schema version registered under each subject instead of the local one (Confluent's
    /// <c>use.latest.version</c>); every local message must exist in it. Takes precedence over auto-registration.
    /// </summary>
    public bool UseLatestVersion { get; set; }

    /// <summary>How subjects are named. Default <see cref="SchemaRegistry.SubjectNameStrategy.Topic"/>.</summary>
    public SubjectNameStrategy SubjectNameStrategy { get; set; } = SubjectNameStrategy.Topic;

    /// <summary>Ask the registry to normalize schemas (<c>?normalize=true</c>).</summary>
    public bool NormalizeSchemas { get; set; }

    /// <summary>Do not register <c>google/protobuf/*.proto</c> imports (registries have them built in). Default true.</summary>
    public bool SkipWellKnownReferences { get; set; } = true;

    /// <summary>Send schemas as base64 descriptors (default, like Confluent's .NET serializer) or as <c>.proto</c> text.</summary>
    public SchemaFormat SchemaFormat { get; set; } = SchemaFormat.Descriptor;
}

/// <summary>The form a Protobuf schema is sent to the registry in.</summary>
public enum SchemaFormat
{
    /// <summary>The base64 serialized <c>FileDescriptorProto</c> (what Confluent's .NET serializer sends).</summary>
    Descriptor,

    /// <summary>The <c>.proto</c> text.</summary>
    Text,
}
