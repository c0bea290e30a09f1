namespace KafkaTyped.Consuming;

/// <summary>
/// Headers added to a dead-letter record, next to the original key, value and headers. Values are UTF-8 text; numbers
/// in invariant culture; the time in ISO 8601 UTC.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>The exception's full type name (<see cref="MessageDeserializationException"/> for undeserializable records).</summary>
    public const string ExceptionType = "kafkatyped.error.type";

    /// <summary>The exception's message (up to 4,000 characters).</summary>
    public const string ExceptionMessage = "kafkatyped.error.message";

    /// <summary>The topic the record was consumed from.</summary>
    public const string OriginalTopic = "kafkatyped.original.topic";

    /// <summary>The partition the record was consumed from.</summary>
    public const string OriginalPartition = "kafkatyped.original.partition";

    /// <summary>The record's offset.</summary>
    public const string OriginalOffset = "kafkatyped.original.offset";

    /// <summary>Dispatch attempts made (1 for a record that could not be deserialized or failed non-retryably).</summary>
    public const string Attempts = "kafkatyped.attempts";

    /// <summary>The consumer group that gave up on the record.</summary>
    public const string ConsumerGroup = "kafkatyped.consumer.group";

    /// <summary>When the record was dead-lettered.</summary>
    public const string FailedAt = "kafkatyped.failed.at";
}
