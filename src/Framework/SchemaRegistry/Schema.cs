namespace KafkaTyped.SchemaRegistry;

/// <summary>A schema as sent to and returned by a Schema Registry: type, text and references to other subjects.</summary>
/// <remarks>Immutable. Equality compares type, text and references (ordinal), so it can key caches.</remarks>
public sealed class Schema : IEquatable<Schema>
{
    /// <summary>The registry's name for Protobuf schemas.</summary>
    public const string Protobuf = SchemaTypes.Protobuf;

    /// <summary>The registry's default type when <c>schemaType</c> is absent.</summary>
    public const string Avro = SchemaTypes.Avro;

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
