using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>Consumer log messages; event ids 1100–1199.</summary>
internal static partial class ConsumingLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Consumer group {Group} starting: {Settings}.")]
    public static partial void Starting(ILogger logger, string group, string settings);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Consumer group {Group} subscribed to {Topics}.")]
    public static partial void Subscribed(ILogger logger, string group, string topics);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Consumer group {Group} assigned {Partitions}.")]
    public static partial void Assigned(ILogger logger, string group, string partitions);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Consumer group {Group}: {Count} partitions revoked; finishing running messages and committing.")]
    public static partial void Revoking(ILogger logger, string group, int count);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Consumer group {Group}: {Count} partitions lost (session expired); their uncommitted messages will be read again by their new owner.")]
    public static partial void Lost(ILogger logger, string group, int count);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Consumer group {Group}: running handlers did not finish within {ElapsedMs:F0} ms; cancelling them. Their messages stay uncommitted and will be read again.")]
    public static partial void DrainTimedOut(ILogger logger, string group, double elapsedMs);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Consumer group {Group} stopping: finishing running messages of {Count} partitions and committing.")]
    public static partial void Stopping(ILogger logger, string group, int count);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Handler failed for {Topic}[{Partition}]@{Offset} in group {Group} (attempt {Attempt}); retrying in {DelayMs:F0} ms.")]
    public static partial void Retrying(ILogger logger, Exception exception, string topic, int partition, long offset, string group, int attempt, double delayMs);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Error, Message = "Gave up on {Topic}[{Partition}]@{Offset} in group {Group} after {Attempts} attempts; sent to {DeadLetterTopic}.")]
    public static partial void DeadLettered(ILogger logger, Exception exception, string topic, int partition, long offset, string group, string deadLetterTopic, int attempts);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "Could not write the dead letter of {Topic}[{Partition}]@{Offset} to {DeadLetterTopic}; retrying in 1 s. The partition waits: nothing past this message is committed.")]
    public static partial void DeadLetterFailed(ILogger logger, Exception exception, string deadLetterTopic, string topic, int partition, long offset);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Consumer group {Group} could not commit offsets ({Code}); retrying at the next commit.")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string group, ErrorCode code);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Warning, Message = "Consumer group {Group} consume error {Code}.")]
    public static partial void ConsumeFailed(ILogger logger, Exception exception, string group, ErrorCode code);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Critical, Message = "Consumer group {Group}'s poll loop stopped on an unrecoverable error; the group no longer consumes. Restart the application.")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string group);

    [LoggerMessage(EventId = 1113, Level = LogLevel.Warning, Message = "Consumer group {Group} error {Code}: {Reason}.")]
    public static partial void ConsumerError(ILogger logger, string group, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1114, Level = LogLevel.Debug, Message = "librdkafka {Name}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string name, string message);

    [LoggerMessage(EventId = 1115, Level = LogLevel.Debug, Message = "Paused {Topic}[{Partition}] for group {Group}: {Buffered} messages buffered.")]
    public static partial void Paused(ILogger logger, string topic, int partition, string group, int buffered);

    [LoggerMessage(EventId = 1116, Level = LogLevel.Debug, Message = "Resumed {Topic}[{Partition}] for group {Group}.")]
    public static partial void Resumed(ILogger logger, string topic, int partition, string group);

    [LoggerMessage(EventId = 1117, Level = LogLevel.Warning, Message = "The Schema Registry is unavailable while reading {Topic}[{Partition}]@{Offset} in group {Group}; the partition waits and retries.")]
    public static partial void RegistryUnavailable(ILogger logger, Exception exception, string topic, int partition, long offset, string group);

    [LoggerMessage(EventId = 1118, Level = LogLevel.Warning, Message = "Disposing a handler DI scope of group {Group} failed; the next records get a fresh scope.")]
    public static partial void ScopeDisposeFailed(ILogger logger, Exception exception, string group);

    [LoggerMessage(EventId = 1119, Level = LogLevel.Debug, Message = "Consumer group {Group}: the coordinator deferred a commit ({Code}) because the group is rebalancing; it is retried.")]
    public static partial void CommitDeferred(ILogger logger, string group, ErrorCode code);

    [LoggerMessage(EventId = 1120, Level = LogLevel.Information, Message = "Consumer group {Group} stopping: the group is rebalancing and refused the final commit; waiting up to {TimeoutMs} ms for the rebalance to end to commit.")]
    public static partial void ShutdownCommitWaits(ILogger logger, string group, long timeoutMs);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "Topic reader skipped the unreadable record at {Topic}[{Partition}]@{Offset}: {Reason}.")]
    public static partial void ReaderSkipped(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Warning, Message = "Consumer group {Group} aborted its transaction ({Reason}); its partitions are read again from their last committed offsets.")]
    public static partial void TransactionAborted(ILogger logger, string group, string reason);
}
