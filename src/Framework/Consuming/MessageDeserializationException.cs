using Confluent.Kafka;

namespace KafkaTyped.Consuming;

/// <summary>
/// A consumed record could not be turned into a message. The consumer sends such records to the dead-letter topic at
/// once (no retries) and goes on.
/// </summary>
public sealed class MessageDeserializationException : Exception, INonRetryableException
{
    /// <summary>Creates the exception for <paramref name="record"/>.</summary>
    public MessageDeserializationException(ConsumeResult<byte[], byte[]> record, string reason, Exception? innerException = null)
        : base(Describe(record, reason), innerException)
    {
        Topic = record?.Topic ?? string.Empty;
        Partition = record?.Partition.Value ?? -1;
        Offset = record?.Offset.Value ?? -1;
    }

    /// <summary>Creates the exception.</summary>
    public MessageDeserializationException(string message)
        : base(message)
    {
        Topic = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public MessageDeserializationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Topic = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public MessageDeserializationException()
        : this("A consumed record could not be deserialized.")
    {
    }

    /// <summary>The record's topic.</summary>
    public string Topic { get; }

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    private static string Describe(ConsumeResult<byte[], byte[]>? record, string reason) =>
        record is null
            ? $"A consumed record could not be deserialized: {reason}."
            : $"The record at {record.Topic}[{record.Partition.Value}]@{record.Offset.Value} could not be deserialized: {reason}. It goes to the dead-letter topic; fix the producer or the message set, then replay it from there.";
}
