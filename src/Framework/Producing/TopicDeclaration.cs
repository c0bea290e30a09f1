namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The producer options a <c>[Topic]</c> attribute declares (<see cref="TopicAttribute.Acks"/>,
/// <see cref="TopicAttribute.Partitioner"/>, <see cref="TopicAttribute.EnableIdempotence"/>). The generated
/// <c>AddKafkaTyped</c> registers one singleton per topic that sets any of them; <c>KafkaTyped:Topics:{topic}</c> in
/// configuration wins over each.
/// </summary>
/// <param name="topic">The topic name.</param>
/// <param name="acks">The declared acknowledgements, or <see cref="TopicAcks.Default"/>.</param>
/// <param name="partitioner">The declared partitioner, or <see cref="TopicPartitioner.Default"/>.</param>
/// <param name="enableIdempotence">The declared idempotence, or null when the attribute does not set it.</param>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TopicDeclaration(string topic, TopicAcks acks, TopicPartitioner partitioner, bool? enableIdempotence)
{
    // Only generated code creates it, and only the runtime reads it: its properties are internal.
    internal string Topic { get; } = topic;

    internal TopicAcks Acks { get; } = acks;

    internal TopicPartitioner Partitioner { get; } = partitioner;

    internal bool? EnableIdempotence { get; } = enableIdempotence;
}
