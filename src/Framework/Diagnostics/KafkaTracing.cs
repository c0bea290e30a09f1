using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace KafkaTyped.Diagnostics;

/// <summary>Starts messaging spans and carries W3C trace context in Kafka headers.</summary>
internal static class KafkaTracing
{
    /// <summary>
    /// Starts a <c>send {topic}</c> producer span when someone listens, and injects the trace context of that span (or of
    /// the ambient one) as a <c>traceparent</c> header, creating <paramref name="headers"/> when needed.
    /// </summary>
    public static Activity? StartSend(string spanName, string topic, ref Headers? headers)
    {
        Activity? activity = null;
        if (KafkaTypedDiagnostics.ActivitySource.HasListeners())
        {
            activity = KafkaTypedDiagnostics.ActivitySource.StartActivity(spanName, ActivityKind.Producer);
            if (activity is { IsAllDataRequested: true })
            {
                activity.SetTag(SemanticConventions.MessagingSystem, "kafka");
                activity.SetTag(SemanticConventions.OperationType, "send");
                activity.SetTag(SemanticConventions.OperationName, "send");
                activity.SetTag(SemanticConventions.DestinationName, topic);
            }
        }

        var context = activity ?? Activity.Current;
        if (context is not null && context.IdFormat == ActivityIdFormat.W3C && context.Id is { } id)
        {
            headers ??= new Headers();
            headers.Remove(SemanticConventions.TraceParentHeader);
            headers.Add(SemanticConventions.TraceParentHeader, Encoding.ASCII.GetBytes(id));
            if (!string.IsNullOrEmpty(context.TraceStateString))
            {
                headers.Remove(SemanticConventions.TraceStateHeader);
                headers.Add(SemanticConventions.TraceStateHeader, Encoding.ASCII.GetBytes(context.TraceStateString));
            }
        }

        return activity;
    }

    /// <summary>Adds the delivery outcome to a send span and stops it.</summary>
    public static void StopSend(Activity activity, int partition, long offset, Error? error)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(SemanticConventions.PartitionId, partition.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag(SemanticConventions.KafkaOffset, offset);
        }

        if (error is { IsError: true })
        {
            activity.SetStatus(ActivityStatusCode.Error, error.Reason);
            activity.SetTag(SemanticConventions.ErrorType, error.Code.ToString());
        }

        activity.Stop();
    }

    /// <summary>Starts a <c>process {topic}</c> consumer span parented by the record's <c>traceparent</c> header, when someone listens.</summary>
    public static Activity? StartProcess(ConsumeResult<byte[], byte[]> record, string group)
    {
        if (!KafkaTypedDiagnostics.ActivitySource.HasListeners())
        {
            return null;
        }

        var spanName = "process " + record.Topic;

        var headers = record.Message.Headers;
        ActivityContext parent = default;
        if (headers is not null && headers.TryGetLastBytes(SemanticConventions.TraceParentHeader, out var traceParent))
        {
            string? traceState = headers.TryGetLastBytes(SemanticConventions.TraceStateHeader, out var state) ? Encoding.ASCII.GetString(state) : null;
            ActivityContext.TryParse(Encoding.ASCII.GetString(traceParent), traceState, isRemote: true, out parent);
        }

        var activity = KafkaTypedDiagnostics.ActivitySource.StartActivity(spanName, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SemanticConventions.MessagingSystem, "kafka");
            activity.SetTag(SemanticConventions.OperationType, "process");
            activity.SetTag(SemanticConventions.OperationName, "process");
            activity.SetTag(SemanticConventions.DestinationName, record.Topic);
            activity.SetTag(SemanticConventions.PartitionId, record.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetTag(SemanticConventions.KafkaOffset, record.Offset.Value);
            activity.SetTag(SemanticConventions.ConsumerGroup, group);
            if (TryDecodeKey(record.Message.Key) is { } key)
            {
                activity.SetTag(SemanticConventions.KafkaMessageKey, key);
            }

            if (record.Message.Value is { } value)
            {
                activity.SetTag(SemanticConventions.BodySize, value.Length);
            }
        }

        return activity;
    }

    private static string? TryDecodeKey(byte[]? key)
    {
        if (key is null || key.Length == 0)
        {
            return null;
        }

        // Only keys that are text are useful as a span attribute; binary keys (big-endian numbers, GUIDs) are skipped.
        try
        {
            var text = new UTF8Encoding(false, true).GetString(key);
            foreach (var c in text)
            {
                if (char.IsControl(c))
                {
                    return null;
                }
            }

            return text;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
