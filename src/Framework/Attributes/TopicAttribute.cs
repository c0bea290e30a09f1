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

    /// <summary>
    /// Acknowledgements the topic's producer waits for; <see cref="TopicAcks.Default"/> keeps the application's setting
    /// (<c>acks=all</c>). <c>KafkaTyped:Topics:{topic}:Acks</c> in configuration wins over this value.
    /// </summary>
    /// <remarks>A topic with <see cref="TopicAcks.None"/> or <see cref="TopicAcks.Leader"/> is sent through a producer without idempotence (it needs <c>acks=all</c>).</remarks>
    public TopicAcks Acks { get; set; }

    /// <summary>
    /// How the topic's producer picks partitions; <see cref="TopicPartitioner.Default"/> keeps the application's setting
    /// (<see cref="TopicPartitioner.Murmur2"/>, as the Java client). <c>KafkaTyped:Topics:{topic}:Partitioner</c> in
    /// configuration wins over this value.
    /// </summary>
    public TopicPartitioner Partitioner { get; set; }

    /// <summary>
    /// Whether the topic's producer is idempotent. When not set, it is idempotent exactly when it waits for
    /// <c>acks=all</c>. Setting it to true with <see cref="Acks"/> other than <see cref="TopicAcks.All"/> is an error (KT0114):
    /// idempotence needs <c>acks=all</c>. <c>KafkaTyped:Topics:{topic}:EnableIdempotence</c> wins over this value.
    /// </summary>
    public bool EnableIdempotence { get; set; }
}
