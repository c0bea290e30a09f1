using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Producing;

/// <summary>Producer log messages; event ids 1200–1249.</summary>
internal static partial class ProducingLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Creating the Kafka producer: {Settings}.")]
    public static partial void CreatingProducer(ILogger logger, string settings);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Kafka producer error {Code}: {Reason}.")]
    public static partial void ProducerError(ILogger logger, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "librdkafka {Name}: {Message}")]
    public static partial void Librdkafka(ILogger logger, string name, string message);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "{Count} messages were still undelivered when the producer was disposed after a 10 s flush; they are lost.")]
    public static partial void UndeliveredAtDispose(ILogger logger, int count);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Delivery to {Topic} failed: {Code} {Reason}. Pass a delivery handler to Produce to act on failures.")]
    public static partial void DeliveryFailed(ILogger logger, string topic, ErrorCode code, string reason);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Topics with their own producer options ({Profile}) get a producer of their own.")]
    public static partial void CreatingTopicProducer(ILogger logger, string profile);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Error, Message = "Produce interceptor {Interceptor} threw in OnDelivered for a send to {Topic}; the send's outcome stands.")]
    public static partial void InterceptorFailed(ILogger logger, Exception exception, string? interceptor, string topic);
}
