using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;
namespace KafkaTyped.SchemaRegistry;

/// <summary>
/// A message set whose schema is known to the registry: for each member (by message index, the position in
/// <see cref="MessageSetDefinition.MessageNames"/>) the schema id and message-index path to write.
/// </summary>
/// <remarks>Immutable and thread-safe. Produced by <see cref="SchemaRegistration"/>.</remarks>
internal sealed class RegisteredMessageSet
{
    private readonly int[] schemaIds;
    private readonly MessageIndexPath[] paths;

    internal RegisteredMessageSet(MessageSetDefinition definition, IReadOnlyList<string> subjects, int[] schemaIds, MessageIndexPath[] paths, int? version)
    {
        Definition = definition;
        Subjects = subjects;
        this.schemaIds = schemaIds;
        this.paths = paths;
        Version = version;
    }

    /// <summary>The set.</summary>
    public MessageSetDefinition Definition { get; }

    /// <summary>The subjects the schema is registered under (one for the Topic strategy, one per member otherwise).</summary>
    public IReadOnlyList<string> Subjects { get; }

    /// <summary>The schema id of the first member (all members share it unless subjects resolved to different versions).</summary>
    public int SchemaId => schemaIds[0];

    /// <summary>The version under the first subject, when known (lookups and latest-version mode).</summary>
    public int? Version { get; }

    /// <summary>The number of members.</summary>
    public int Count => schemaIds.Length;

    /// <summary>The schema id to write for a member.</summary>
    public int GetSchemaId(int messageIndex) => schemaIds[messageIndex];

    /// <summary>The message-index path to write for a member.</summary>
    public MessageIndexPath GetPath(int messageIndex) => paths[messageIndex];

    /// <inheritdoc />
    public override string ToString() => $"{Definition} → schema id {SchemaId}";
}
