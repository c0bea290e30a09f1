namespace KafkaTyped;

/// <summary>
/// How many broker acknowledgements a topic's producer waits for (librdkafka's and Kafka's <c>acks</c>), set with
/// <see cref="TopicAttribute.Acks"/> or <c>KafkaTyped:Topics:{topic}:Acks</c>.
/// </summary>
public enum TopicAcks
{
    /// <summary>Not set: the application's producer setting (<c>acks=all</c> unless <c>KafkaTyped:ProducerSettings:acks</c> says otherwise).</summary>
    Default = 0,

    /// <summary><c>acks=0</c>: no acknowledgement; a send completes once written to the socket. Records can be lost silently and their offsets are unknown (-1).</summary>
    None = 1,

    /// <summary><c>acks=1</c>: the partition leader wrote the record; it is lost if the leader fails before the followers copied it.</summary>
    Leader = 2,

    /// <summary><c>acks=all</c>: every in-sync replica wrote the record (KafkaTyped's default, and what idempotence requires).</summary>
    All = 3,
}
