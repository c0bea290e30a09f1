using KafkaTyped.Protobuf;

namespace KafkaTyped.Serialization;

/// <summary>
/// A message set: the messages that travel on one topic, declared by a <c>[Topic]</c> partial interface. The generator
/// emits one sealed subclass per set with a static <c>Instance</c>.
/// </summary>
/// <remarks>
/// A member's Confluent message index is its position in <see cref="MessageNames"/>, which is the order of the
/// top-level messages in <see cref="File"/>.
/// </remarks>
public abstract class MessageSetDefinition
{
    /// <summary>The topic name.</summary>
    public abstract string Topic { get; }

    /// <summary>Partitions to create the topic with.</summary>
    public abstract int Partitions { get; }

    /// <summary>Replication factor to create the topic with; -1 for the broker default.</summary>
    public virtual short ReplicationFactor => -1;

    /// <summary>Topic configuration to create the topic with on a real cluster (for example <c>cleanup.policy=compact</c>); null for the broker defaults.</summary>
    public virtual IReadOnlyDictionary<string, string>? TopicConfigs => null;

    /// <summary>The set's <c>.proto</c> file.</summary>
    public abstract ProtoFile File { get; }

    /// <summary>The full Protobuf names of the members, in message-index order.</summary>
    public abstract IReadOnlyList<string> MessageNames { get; }

    /// <summary>
    /// The parser of member <paramref name="messageIndex"/>, for reading a set's messages without a handler
    /// (<see cref="Consuming.TopicReader"/>); null when the set does not provide one. Generated sets return their
    /// members' generated parsers.
    /// </summary>
    public virtual Google.Protobuf.MessageParser? ParserOf(int messageIndex) => null;

    /// <inheritdoc />
    public override string ToString() => $"{Topic} ({File.Name})";
}
