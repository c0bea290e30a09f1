namespace KafkaTyped;

/// <summary>
/// Declares a message set: a <c>partial interface</c> whose implementing message records travel on one Kafka topic.
/// The set becomes one <c>.proto</c> file; a member's Confluent message index is its position in that file.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false, AllowMultiple = false)]
public sealed class TopicAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The topic name: 1 to 249 characters of <c>[a-zA-Z0-9._-]</c>, not <c>.</c> or <c>..</c>.</param>
    public TopicAttribute(string name) => Name = name;

    /// <summary>The topic name.</summary>
    public string Name { get; }

    /// <summary>Partitions to create the topic with (when KafkaTyped creates it). Default 6.</summary>
    public int Partitions { get; set; } = 6;

    /// <summary>Replication factor to create the topic with on a real cluster; -1 uses the broker default.</summary>
    public short ReplicationFactor { get; set; } = -1;
}
