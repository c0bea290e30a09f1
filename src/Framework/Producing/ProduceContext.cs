using Confluent.Kafka;

namespace KafkaTyped;

/// <summary>One send as <see cref="IProduceInterceptor{TMessage}"/> sees it: where it goes, its headers, and its outcome.</summary>
/// <remarks>Created per send, only when interceptors are registered for the message type. Not thread-safe.</remarks>
public sealed class ProduceContext
{
    private Headers? headers;

    internal ProduceContext(string topic, Headers? headers, Timestamp timestamp)
    {
        Topic = topic;
        this.headers = headers;
        Timestamp = timestamp;
    }

    /// <summary>The topic the message is sent to.</summary>
    public string Topic { get; }

    /// <summary>The record's headers; created on first access, so an interceptor can always <c>Add</c> to them.</summary>
    public Headers Headers => headers ??= [];

    /// <summary>True when the record carries headers (reading this creates none).</summary>
    public bool HasHeaders => headers is { Count: > 0 };

    /// <summary>The timestamp given to the send; <c>default</c> lets the producer stamp it.</summary>
    public Timestamp Timestamp { get; }

    /// <summary>The partition the record was written to, after delivery; -1 before it or when it failed.</summary>
    public int Partition { get; private set; } = -1;

    /// <summary>The record's offset, after delivery; -1 before it, when it failed, or with <c>acks=0</c> (the broker does not say).</summary>
    public long Offset { get; private set; } = -1;

    /// <summary>Whether the record was persisted (after the outcome is known).</summary>
    public PersistenceStatus Status { get; private set; } = PersistenceStatus.NotPersisted;

    /// <summary>The delivery error, or <c>NoError</c>.</summary>
    public Error Error { get; private set; } = new(ErrorCode.NoError);

    /// <summary>The exception the send failed with (a <see cref="ProduceException{TKey, TValue}"/>, an interceptor's refusal, a serialization error), or null.</summary>
    public Exception? Exception { get; private set; }

    /// <summary>The headers if any were given or added; what the send uses.</summary>
    internal Headers? HeadersOrNull => headers;

    internal void Delivered(int partition, long offset, PersistenceStatus status, Error error)
    {
        Partition = partition;
        Offset = offset;
        Status = status;
        Error = error;
    }

    internal void Failed(Exception exception, Error? error = null)
    {
        Exception = exception;
        Error = error ?? new Error(ErrorCode.Unknown, exception.Message);
    }
}
