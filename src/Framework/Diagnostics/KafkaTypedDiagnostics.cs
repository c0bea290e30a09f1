using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KafkaTyped.Diagnostics;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="Meter"/> of KafkaTyped, both named <see cref="Name"/>.
/// Subscribe with OpenTelemetry: <c>AddSource("KafkaTyped")</c> and <c>AddMeter("KafkaTyped")</c>.
/// </summary>
/// <remarks>
/// Spans and instruments follow the OpenTelemetry messaging semantic conventions: <c>send {topic}</c> producer spans and
/// <c>process {topic}</c> consumer spans carrying <c>messaging.system=kafka</c>, destination, partition, offset, consumer
/// group and key; the W3C <c>traceparent</c> travels in a Kafka header from producer to handler.
/// </remarks>
public static class KafkaTypedDiagnostics
{
    /// <summary>The name of the activity source and of the meter: <c>KafkaTyped</c>.</summary>
    public const string Name = "KafkaTyped";

    /// <summary>The activity source producer and consumer spans are started from.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(KafkaTypedDiagnostics).Assembly.GetName().Version?.ToString());

    /// <summary>The meter all KafkaTyped instruments belong to.</summary>
    public static Meter Meter { get; } = new(Name, typeof(KafkaTypedDiagnostics).Assembly.GetName().Version?.ToString());
}
