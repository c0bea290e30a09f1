using Confluent.Kafka;

namespace KafkaTyped;

/// <summary>Where a consumed message came from. A small immutable struct: passing it allocates nothing.</summary>
public readonly struct MessageContext
{
    /// <summary>Creates a context.</summary>
    public MessageContext(string topic, int partition, long offset, ReadOnlyMemory<byte> key, Headers? headers, DateTimeOffset timestamp, int attempt, string? groupId)
    {
        Topic = topic;
        Partition = partition;
        Offset = offset;
        Key = key;
        Headers = headers;
        Timestamp = timestamp;
        Attempt = attempt;
        GroupId = groupId;
    }

    /// <summary>The topic the message was read from.</summary>
    public string Topic { get; }

    /// <summary>The partition the message was read from.</summary>
    public int Partition { get; }

    /// <summary>The message's offset in its partition.</summary>
    public long Offset { get; }

    /// <summary>The raw Kafka key bytes (empty for a null key).</summary>
    public ReadOnlyMemory<byte> Key { get; }

    /// <summary>The Kafka headers, or null when the record had none.</summary>
    public Headers? Headers { get; }

    /// <summary>The record's timestamp.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>1 for the first delivery to the handler, 2 for the first retry, and so on.</summary>
    public int Attempt { get; }

    /// <summary>The consumer group, or null when read without one (a replicated cache).</summary>
    public string? GroupId { get; }
}
