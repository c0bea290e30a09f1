using Microsoft.Extensions.Logging;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>Embedded Schema Registry log messages; event ids 4010–4019 of the Schema Registry range (4000–4099).</summary>
internal static partial class EmbeddedRegistryLog
{
    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Embedded Schema Registry listening on {Url}, storing schemas in topic {Topic}.")]
    public static partial void EmbeddedStarted(ILogger logger, string url, string topic);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Embedded Schema Registry request {Method} {Path} failed.")]
    public static partial void EmbeddedRequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Embedded Schema Registry skipped an unreadable record at offset {Offset} of {Topic}.")]
    public static partial void EmbeddedRecordSkipped(ILogger logger, long offset, string topic);
}
