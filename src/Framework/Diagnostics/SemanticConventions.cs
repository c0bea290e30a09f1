namespace KafkaTyped.Diagnostics;

/// <summary>OpenTelemetry messaging attribute and instrument names used by KafkaTyped.</summary>
internal static class SemanticConventions
{
    /// <summary><c>messaging.system</c>; always <c>kafka</c>.</summary>
    public const string MessagingSystem = "messaging.system";

    /// <summary><c>messaging.operation.type</c>: <c>send</c> or <c>process</c>.</summary>
    public const string OperationType = "messaging.operation.type";

    /// <summary><c>messaging.operation.name</c>.</summary>
    public const string OperationName = "messaging.operation.name";

    /// <summary><c>messaging.destination.name</c>: the topic.</summary>
    public const string DestinationName = "messaging.destination.name";

    /// <summary><c>messaging.destination.partition.id</c>.</summary>
    public const string PartitionId = "messaging.destination.partition.id";

    /// <summary><c>messaging.kafka.offset</c>.</summary>
    public const string KafkaOffset = "messaging.kafka.offset";

    /// <summary><c>messaging.kafka.message.key</c> (set when the key is valid UTF-8).</summary>
    public const string KafkaMessageKey = "messaging.kafka.message.key";

    /// <summary><c>messaging.consumer.group.name</c>.</summary>
    public const string ConsumerGroup = "messaging.consumer.group.name";

    /// <summary><c>messaging.message.body.size</c>.</summary>
    public const string BodySize = "messaging.message.body.size";

    /// <summary><c>error.type</c>.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The W3C trace-context header carried in Kafka record headers.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C trace-state header carried in Kafka record headers.</summary>
    public const string TraceStateHeader = "tracestate";
}
