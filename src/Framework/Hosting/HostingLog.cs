using Microsoft.Extensions.Logging;

namespace KafkaTyped.Hosting;

/// <summary>Hosting log messages; event ids 1000–1099.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "No Kafka configured: running on an embedded Kafka cluster at {BootstrapServers} (in-memory, this process only). To use a real cluster set KafkaTyped:BootstrapServers, for example the environment variable KafkaTyped__BootstrapServers=broker:9092.")]
    public static partial void UsingEmbeddedCluster(ILogger logger, string bootstrapServers);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Using Kafka cluster at {BootstrapServers}.")]
    public static partial void UsingCluster(ILogger logger, string bootstrapServers);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "librdkafka {Version} loaded from {Path}.")]
    public static partial void NativeLibraryLoaded(ILogger logger, string version, string path);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Joining the embedded Kafka cluster at {BootstrapServers} hosted by process {ProcessId}; the embedded client tuning applies.")]
    public static partial void JoiningEmbeddedCluster(ILogger logger, string bootstrapServers, int processId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Created topic {Topic} with {Partitions} partitions.")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions);
}
