namespace KafkaTyped;

/// <summary>
/// How a topic's producer picks the partition of a record, set with <see cref="TopicAttribute.Partitioner"/> or
/// <c>KafkaTyped:Topics:{topic}:Partitioner</c>. Each value is one of librdkafka's own partitioners.
/// </summary>
public enum TopicPartitioner
{
    /// <summary>Not set: the application's producer setting (<see cref="Murmur2"/> unless <c>KafkaTyped:ProducerSettings:partitioner</c> says otherwise).</summary>
    Default = 0,

    /// <summary>
    /// librdkafka's <c>murmur2_random</c>: murmur2 of the key bytes, as the Java client's default partitioner, so a key lands
    /// on the partition Java, Go (Sarama's hash partitioner excepted) and Kafka Streams put it on; null keys go to a random
    /// partition. KafkaTyped's default.
    /// </summary>
    Murmur2 = 1,

    /// <summary>
    /// librdkafka's <c>consistent_random</c> (librdkafka's own default): CRC32 of the key bytes; empty and null keys go to a
    /// random partition. Keys land where other librdkafka clients with default settings put them, not where Java puts them.
    /// </summary>
    ConsistentRandom = 2,

    /// <summary>librdkafka's <c>random</c>: every record to a random partition, whatever its key (no per-key order).</summary>
    Random = 3,
}
