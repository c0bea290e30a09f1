namespace KafkaTyped.GeneratedCode;

/// <summary>
/// The producer options a <c>[Topic]</c> attribute declares (<see cref="TopicAttribute.Acks"/>,
/// <see cref="TopicAttribute.Partitioner"/>, <see cref="TopicAttribute.EnableIdempotence"/>). The generated
/// <c>AddKafkaTyped</c> registers one singleton per topic that sets any of them; <c>KafkaTyped:Topics:{topic}</c> in
/// configuration wins over each.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class TopicDeclaration
{
    /// <summary>Creates the declaration.</summary>
    /// <param name="topic">The topic name.</param>
    /// <param name="acks">The declared acknowledgements, or <see cref="TopicAcks.Default"/>.</param>
    /// <param name="partitioner">The declared partitioner, or <see cref="TopicPartitioner.Default"/>.</param>
    /// <param name="enableIdempotence">The declared idempotence, or null when the attribute does not set it.</param>
    public TopicDeclaration(string topic, TopicAcks acks, TopicPartitioner partitioner, bool? enableIdempotence)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        Topic = topic;
        Acks = acks;
        Partitioner = partitioner;
        EnableIdempotence = enableIdempotence;
    }

    /// <summary>The topic name.</summary>
    public string Topic { get; }

    /// <summary>The declared acknowledgements, or <see cref="TopicAcks.Default"/>.</summary>
    public TopicAcks Acks { get; }

    /// <summary>The declared partitioner, or <see cref="TopicPartitioner.Default"/>.</summary>
    public TopicPartitioner Partitioner { get; }

    /// <summary>The declared idempotence, or null.</summary>
    public bool? EnableIdempotence { get; }
}
