using Microsoft.Extensions.Logging;

namespace KafkaTyped.SchemaRegistry;

/// <summary>Schema Registry log messages; event ids 4000–4099. URLs are logged without user info; credentials never.</summary>
internal static partial class SchemaRegistryLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Schema Registry at {Url} failed ({Reason}); trying the next URL.")]
    public static partial void UrlFailed(ILogger logger, string url, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Every Schema Registry URL failed; retry {Attempt} of {MaxRetries} in {DelayMs} ms.")]
    public static partial void Retrying(ILogger logger, int attempt, int maxRetries, long delayMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Registered schema for subject {Subject}: id {SchemaId}.")]
    public static partial void Registered(ILogger logger, string subject, int schemaId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Schema for subject {Subject} found: id {SchemaId}, version {Version}.")]
    public static partial void LookedUp(ILogger logger, string subject, int schemaId, int version);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Schema id {SchemaId} was written with another version of message set {Set}; mapped by message name.")]
    public static partial void ForeignSchemaMapped(ILogger logger, int schemaId, string set);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Using the embedded Schema Registry at {Url}, served by the process that hosts the embedded Kafka cluster this application joined.")]
    public static partial void UsingJoinedRegistry(ILogger logger, string url);
}
