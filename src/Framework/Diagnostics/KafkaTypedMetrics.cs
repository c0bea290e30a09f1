using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KafkaTyped.Diagnostics;

/// <summary>The instruments of the <c>KafkaTyped</c> meter.</summary>
/// <remarks>
/// Names follow the OpenTelemetry messaging conventions where one exists (<c>messaging.client.sent.messages</c>,
/// <c>messaging.client.consumed.messages</c>, <c>messaging.process.duration</c>); the rest live under <c>kafkatyped.</c>.
/// </remarks>
internal static class KafkaTypedMetrics
{
    private static readonly ConcurrentDictionary<ILagSource, byte> LagSources = new();

    public static readonly Counter<long> Sent = CreateCounter("messaging.client.sent.messages", "{message}", "Messages the producer attempted to send.");

    public static readonly Counter<long> SendFailed = CreateCounter("kafkatyped.producer.failed", "{message}", "Messages whose delivery failed.");

    public static readonly Counter<long> Consumed = CreateCounter("messaging.client.consumed.messages", "{message}", "Messages delivered to handlers (first attempt).");

    public static readonly Histogram<double> ProcessDuration = KafkaTypedDiagnostics.Meter.CreateHistogram<double>("messaging.process.duration", "s", "Duration of processing one message, retries and dead-lettering included.");

    public static readonly Counter<long> Failed = CreateCounter("kafkatyped.consumer.failed", "{attempt}", "Handler attempts that threw.");

    public static readonly Counter<long> Retried = CreateCounter("kafkatyped.consumer.retried", "{attempt}", "Handler attempts retried after a failure.");

    public static readonly Counter<long> DeadLettered = CreateCounter("kafkatyped.consumer.dead_lettered", "{message}", "Messages sent to the dead-letter topic.");

    public static readonly ObservableGauge<long> Lag = KafkaTypedDiagnostics.Meter.CreateObservableGauge(
        "kafkatyped.consumer.lag", ObserveLag, "{message}", "High watermark minus the next offset to read, per assigned partition.");

    private static Counter<long> CreateCounter(string name, string unit, string description) =>
        KafkaTypedDiagnostics.Meter.CreateCounter<long>(name, unit, description);

    /// <summary>Adds a source of per-partition lag measurements (a running consumer).</summary>
    public static void AddLagSource(ILagSource source) => LagSources.TryAdd(source, 0);

    /// <summary>Removes a lag source.</summary>
    public static void RemoveLagSource(ILagSource source) => LagSources.TryRemove(source, out _);

    private static IEnumerable<Measurement<long>> ObserveLag()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var source in LagSources.Keys)
        {
            source.CollectLag(measurements);
        }

        return measurements;
    }

    public static TagList Tags(string topic) => new()
    {
        { SemanticConventions.MessagingSystem, "kafka" },
        { SemanticConventions.DestinationName, topic },
    };

    public static TagList Tags(string topic, string group) => new()
    {
        { SemanticConventions.MessagingSystem, "kafka" },
        { SemanticConventions.DestinationName, topic },
        { SemanticConventions.ConsumerGroup, group },
    };
}

/// <summary>Something that reports consumer lag per partition.</summary>
internal interface ILagSource
{
    /// <summary>Adds one measurement per assigned partition.</summary>
    void CollectLag(List<Measurement<long>> measurements);
}
