using Confluent.Kafka;

namespace KafkaTyped;

/// <summary>Where a consumed message came from. A small immutable struct: passing it allocates nothing.</summary>
public readonly struct MessageContext(string topic, int partition, long offset, ReadOnlyMemory<byte> key, Headers? headers, DateTimeOffset timestamp, int attempt, string? groupId)
{
    /// <summary>The topic the message was read from.</summary>
    public string Topic { get; } = topic;

    /// <summary>The partition the message was read from.</summary>
    public int Partition { get; } = partition;

    /// <summary>The message's offset in its partition.</summary>
    public long Offset { get; } = offset;

    /// <summary>The raw Kafka key bytes (empty for a null key).</summary>
    public ReadOnlyMemory<byte> Key { get; } = key;

    /// <summary>The Kafka headers, or null when the record had none.</summary>
    public Headers? Headers { get; } = headers;

    /// <summary>The record's timestamp.</summary>
    public DateTimeOffset Timestamp { get; } = timestamp;

    /// <summary>1 for the first delivery to the handler, 2 for the first retry, and so on.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>The consumer group, or null when read without one (a replicated cache).</summary>
    public string? GroupId { get; } = groupId;
}
