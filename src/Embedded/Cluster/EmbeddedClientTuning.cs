using Confluent.Kafka;

namespace KafkaTyped.Embedded;

/// <summary>
/// Client settings that suit the embedded cluster, applied to a configuration that points at one unless the user set
/// them: the mock holds an empty fetch for the full <c>fetch.wait.max.ms</c> (500 ms by default, which would be the
/// produce-to-consume latency) and delays group joins by <c>session.timeout.ms</c> − 1 s (44 s by default).
/// </summary>
public static class EmbeddedClientTuning
{
    /// <summary>Settings applied to every client.</summary>
    internal static IReadOnlyDictionary<string, string> CommonSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["topic.metadata.refresh.interval.ms"] = "10000",
    };

    internal const int SessionTimeoutMs = 6000;
    internal const int HeartbeatIntervalMs = 500;

    /// <summary>Settings applied to consumers only (librdkafka warns about consumer properties on a producer).</summary>
    public static IReadOnlyDictionary<string, string> ConsumerSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["fetch.wait.max.ms"] = "10",
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
    };

    // Under group.protocol=consumer (KIP-848) the broker owns session and heartbeat; librdkafka refuses both settings.
    private static readonly string[] ClassicProtocolOnly = ["session.timeout.ms", "heartbeat.interval.ms"];

    /// <summary>
    /// Applies <see cref="CommonSettings"/> (and <see cref="ConsumerSettings"/> to a <see cref="ConsumerConfig"/>) to
    /// <paramref name="config"/> when it points at a live embedded cluster, in this process or hosted by another process
    /// on this machine, leaving keys the caller set alone.
    /// </summary>
    /// <returns>True when the configuration points at an embedded cluster.</returns>
    public static bool ApplyIfEmbedded(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!EmbeddedKafkaCluster.IsEmbedded(config.BootstrapServers))
        {
            return false;
        }

        SetMissing(config, CommonSettings);
        if (config is ConsumerConfig)
        {
            var kip848 = string.Equals(config.Get("group.protocol"), "consumer", StringComparison.OrdinalIgnoreCase);
            foreach (var (key, value) in ConsumerSettings)
            {
                if (config.Get(key) is null && !(kip848 && ClassicProtocolOnly.Contains(key, StringComparer.Ordinal)))
                {
                    config.Set(key, value);
                }
            }
        }

        return true;
    }

    private static void SetMissing(ClientConfig config, IReadOnlyDictionary<string, string> settings)
    {
        foreach (var (key, value) in settings)
        {
            if (config.Get(key) is null)
            {
                config.Set(key, value);
            }
        }
    }
}
