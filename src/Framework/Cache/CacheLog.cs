using Microsoft.Extensions.Logging;

namespace KafkaTyped.Cache;

/// <summary>Replicated-cache log messages; event ids 5000–5099.</summary>
internal static partial class CacheLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Replicated cache '{Topic}' is ready with {Count} entries.")]
    public static partial void Ready(ILogger logger, string topic, int count);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "Replicated cache '{Topic}' skipped the record at partition {Partition} offset {Offset}: {Reason}")]
    public static partial void SkippedRecord(ILogger logger, string topic, int partition, long offset, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Replicated cache '{Topic}' could not read: {Reason}")]
    public static partial void ConsumeFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "A change handler of replicated cache '{Topic}' threw.")]
    public static partial void ChangeHandlerFailed(ILogger logger, string topic, Exception error);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Replicated cache '{Topic}' waits for the Schema Registry to read partition {Partition} offset {Offset}: {Reason}")]
    public static partial void RegistryUnavailable(ILogger logger, string topic, int partition, long offset, string reason);
}
