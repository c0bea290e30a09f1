namespace KafkaTyped.SchemaRegistry;

/// <summary>A schema as sent to and returned by a Schema Registry: type, text and references to other subjects.</summary>
/// <remarks>Immutable. Equality compares type, text and references (ordinal), so it can key caches.</remarks>
public sealed class Schema : IEquatable<Schema>
{
    /// <summary>The registry's name for Protobuf schemas.</summary>
    public const string Protobuf = "PROTOBUF";

    /// <summary>The registry's default type when <c>schemaType</c> is absent.</summary>
    public const string Avro = "AVRO";

    /// <summary>Creates a schema.</summary>
    /// <param name="text">The schema: <c>.proto</c> text or a base64 serialized <c>FileDescriptorProto</c>.</param>
    /// <param name="schemaType">The type; <see cref="Protobuf"/> by default.</param>
    /// <param name="references">References to imported files registered under other subjects.</param>
    public Schema(string text, string schemaType = Protobuf, IReadOnlyList<SchemaReference>? references = null)
    {
        Text = text ?? throw new ArgumentNullException(nameof(text));
        SchemaType = string.IsNullOrEmpty(schemaType) ? Avro : schemaType;
        References = references ?? [];
    }

    /// <summary>The schema text (for Protobuf, <c>.proto</c> text or base64 descriptor bytes).</summary>
    public string Text { get; }

    /// <summary><c>PROTOBUF</c>, <c>AVRO</c> or <c>JSON</c>.</summary>
    public string SchemaType { get; }

    /// <summary>The references, in import order.</summary>
    public IReadOnlyList<SchemaReference> References { get; }

    /// <inheritdoc />
    public bool Equals(Schema? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (!string.Equals(Text, other.Text, StringComparison.Ordinal)
            || !string.Equals(SchemaType, other.SchemaType, StringComparison.Ordinal)
            || References.Count != other.References.Count)
        {
            return false;
        }

        for (var i = 0; i < References.Count; i++)
        {
            if (!References[i].Equals(other.References[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Schema);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Text), SchemaType, References.Count);

    /// <inheritdoc />
    public override string ToString() => $"{SchemaType} schema ({Text.Length} chars, {References.Count} references)";
}

/// <summary>A reference from a schema to an imported file registered under another subject.</summary>
/// <param name="Name">The import name, for example <c>common/money.proto</c>.</param>
/// <param name="Subject">The subject it is registered under (KafkaTyped uses the file name).</param>
/// <param name="Version">The version under that subject.</param>
public sealed record SchemaReference(string Name, string Subject, int Version);

/// <summary>A schema as registered under a subject.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Version">The version under the subject.</param>
/// <param name="Id">The registry-wide schema id.</param>
/// <param name="Schema">The schema as the registry returns it (for Protobuf, canonical <c>.proto</c> text).</param>
public sealed record RegisteredSchema(string Subject, int Version, int Id, Schema Schema);

/// <summary>The result of a compatibility test.</summary>
/// <param name="IsCompatible">True when the schema may be registered.</param>
/// <param name="Messages">Why not, when the registry said so (verbose tests).</param>
public sealed record CompatibilityCheckResult(bool IsCompatible, IReadOnlyList<string> Messages);

/// <summary>Schema Registry compatibility levels.</summary>
public enum CompatibilityLevel
{
    /// <summary>No check.</summary>
    None,

    /// <summary>The new schema reads data written with the latest one (the registry default).</summary>
    Backward,

    /// <summary>Backward against every earlier version.</summary>
    BackwardTransitive,

    /// <summary>The latest schema reads data written with the new one.</summary>
    Forward,

    /// <summary>Forward against every earlier version.</summary>
    ForwardTransitive,

    /// <summary>Backward and forward.</summary>
    Full,

    /// <summary>Full against every earlier version.</summary>
    FullTransitive,
}

/// <summary>Conversions between <see cref="CompatibilityLevel"/> and the registry's upper-case names.</summary>
public static class CompatibilityLevels
{
    /// <summary>The registry's name, for example <c>BACKWARD_TRANSITIVE</c>.</summary>
    public static string ToRegistryName(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Parses a registry name (case-insensitive).</summary>
    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        switch (name?.ToUpperInvariant())
        {
            case "NONE": level = CompatibilityLevel.None; return true;
            case "BACKWARD": level = CompatibilityLevel.Backward; return true;
            case "BACKWARD_TRANSITIVE": level = CompatibilityLevel.BackwardTransitive; return true;
            case "FORWARD": level = CompatibilityLevel.Forward; return true;
            case "FORWARD_TRANSITIVE": level = CompatibilityLevel.ForwardTransitive; return true;
            case "FULL": level = CompatibilityLevel.Full; return true;
            case "FULL_TRANSITIVE": level = CompatibilityLevel.FullTransitive; return true;
            default: level = default; return false;
        }
    }
}
