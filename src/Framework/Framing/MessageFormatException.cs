namespace KafkaTyped.Framing;

/// <summary>
/// A record value (or key) is not a valid Confluent Protobuf frame for its topic: wrong magic byte, truncated, a bad
/// varint, a message index that names no message of the set, or a schema id that cannot be resolved.
/// </summary>
/// <remarks>
/// Thrown instead of any lower-level exception so a consumer loop can dead-letter the record and carry on.
/// <see cref="Topic"/>, <see cref="Partition"/> and <see cref="Offset"/> are set when the caller knew them.
/// </remarks>
public sealed class MessageFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageFormatException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public MessageFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Creates the exception with the record's coordinates.</summary>
    public MessageFormatException(string message, string? topic, int? partition, long? offset, Exception? innerException = null)
        : base(Describe(message, topic, partition, offset), innerException)
    {
        Reason = message;
        Topic = topic;
        Partition = partition;
        Offset = offset;
    }

    /// <summary>Creates an empty exception (serialization conventions).</summary>
    public MessageFormatException()
    {
        Reason = Message;
    }

    /// <summary>What is wrong, without the record's coordinates (for callers that add complete ones of their own).</summary>
    public string Reason { get; }

    /// <summary>The topic the record came from, when known.</summary>
    public string? Topic { get; }

    /// <summary>The partition the record came from, when known.</summary>
    public int? Partition { get; }

    /// <summary>The record's offset, when known.</summary>
    public long? Offset { get; }

    /// <summary>The schema id read from the frame, when the header was readable.</summary>
    public int? SchemaId { get; init; }

    private static string Describe(string message, string? topic, int? partition, long? offset)
    {
        // Only what is known: a reader that has not been told the partition or offset names neither.
        var parts = new List<string>(3);
        if (topic is not null)
        {
            parts.Add($"topic '{topic}'");
        }

        if (partition is { } p)
        {
            parts.Add("partition " + p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (offset is { } o)
        {
            parts.Add("offset " + o.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.Count == 0 ? message : $"{message} ({string.Join(", ", parts)})";
    }
}
