using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming.Batching;

/// <summary>Batch handler log messages; event ids 1180–1189 (inside the consuming range, kept apart from ConsumingLog's).</summary>
internal static partial class BatchingLog
{
    [LoggerMessage(EventId = 1180, Level = LogLevel.Warning, Message = "Batch handler failed for {Topic}[{Partition}]@{FirstOffset}..{LastOffset} ({Count} messages) in group {Group} (attempt {Attempt}); retrying in {DelayMs:F0} ms.")]
    public static partial void Retrying(ILogger logger, Exception exception, string topic, int partition, long firstOffset, long lastOffset, int count, string group, int attempt, double delayMs);

    [LoggerMessage(EventId = 1181, Level = LogLevel.Warning, Message = "Gave up on the batch {Topic}[{Partition}]@{FirstOffset}..{LastOffset} ({Count} messages) in group {Group}; splitting it in two to find the failing records.")]
    public static partial void Splitting(ILogger logger, Exception exception, string topic, int partition, long firstOffset, long lastOffset, int count, string group);

    [LoggerMessage(EventId = 1182, Level = LogLevel.Error, Message = "Gave up on the batch {Topic}[{Partition}]@{FirstOffset}..{LastOffset} ({Count} messages) in group {Group}; sending all of it to the dead-letter topic.")]
    public static partial void DeadLetteringWhole(ILogger logger, Exception exception, string topic, int partition, long firstOffset, long lastOffset, int count, string group);
}
