using Confluent.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.Embedded.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Hosting;

/// <summary>
/// The Kafka cluster the application talks to: the configured one, or an embedded cluster started on first use when
/// <see cref="KafkaTypedOptions.BootstrapServers"/> is empty. Builds client configurations for it.
/// </summary>
/// <remarks>Singleton; thread-safe. Disposing it stops the embedded cluster, if one was started.</remarks>
public sealed class KafkaCluster : IDisposable
{
    private readonly KafkaTypedOptions options;
    private readonly ILogger<KafkaCluster> logger;
    private readonly Lazy<string> bootstrapServers;
    private EmbeddedKafkaCluster? embedded;

    /// <summary>Creates the service.</summary>
    public KafkaCluster(IOptions<KafkaTypedOptions> options, ILogger<KafkaCluster> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        bootstrapServers = new Lazy<string>(Connect, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The bootstrap servers clients use; starts the embedded cluster on first access when none are configured.</summary>
    public string BootstrapServers => bootstrapServers.Value;

    /// <summary>The embedded cluster, when the application runs on one (after <see cref="BootstrapServers"/> was read).</summary>
    public EmbeddedKafkaCluster? Embedded
    {
        get
        {
            _ = bootstrapServers.Value;
            return embedded;
        }
    }

    /// <summary>True when the application runs on an embedded cluster.</summary>
    public bool IsEmbedded => Embedded is not null;

    /// <summary>A producer configuration: pass-through settings, bootstrap servers, idempotence, embedded tuning.</summary>
    public ProducerConfig CreateProducerConfig()
    {
        var config = new ProducerConfig(new Dictionary<string, string>(options.Settings, StringComparer.Ordinal))
        {
            BootstrapServers = BootstrapServers,
        };
        config.EnableIdempotence ??= true;
        config.Acks ??= Acks.All;

        // Keys land where the Java client puts them, from every producer (transactional ones included).
        config.Partitioner ??= Partitioner.Murmur2Random;
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        return config;
    }

    /// <summary>A consumer configuration for <paramref name="groupId"/> (null for an assign-only consumer).</summary>
    /// <param name="groupId">The group, or null.</param>
    /// <param name="groupSettings">Settings of this consumer only, applied over the shared ones and before the defaults and the embedded tuning (which leave keys already set alone).</param>
    public ConsumerConfig CreateConsumerConfig(string? groupId, IEnumerable<KeyValuePair<string, string>>? groupSettings = null)
    {
        var config = new ConsumerConfig(new Dictionary<string, string>(options.Settings, StringComparer.Ordinal))
        {
            BootstrapServers = BootstrapServers,
        };
        foreach (var (key, value) in options.ConsumerSettings)
        {
            config.Set(key, value);
        }

        foreach (var (key, value) in groupSettings ?? [])
        {
            config.Set(key, value);
        }

        if (groupId is not null)
        {
            config.GroupId = groupId;
        }

        config.EnableAutoCommit ??= false;
        config.AutoOffsetReset ??= AutoOffsetReset.Earliest;

        // librdkafka postpones the next fetch of a partition by fetch.queue.backoff.ms (1 s by default) whenever the
        // consumer's local queue holds queued.min.messages (counted over all its partitions): reading a backlog, that caps
        // a consumer at about that many messages a second, and a partition resumed after back-pressure waits a second
        // for its next fetch. The check is local, so a short backoff costs nothing on the broker.
        if (config.Get("fetch.queue.backoff.ms") is null)
        {
            config.Set("fetch.queue.backoff.ms", "10");
        }
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        return config;
    }

    /// <summary>Stops the embedded cluster, if one was started.</summary>
    public void Dispose() => embedded?.Dispose();

    private string Connect()
    {
        KafkaNativeLibrary.EnsureLoaded();
        HostingLog.NativeLibraryLoaded(logger, KafkaNativeLibrary.Version ?? "?", KafkaNativeLibrary.LoadedFrom ?? "?");
        if (!string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            if (EmbeddedClusterDirectory.Find(options.BootstrapServers) is { } joined && joined.ProcessId != Environment.ProcessId)
            {
                HostingLog.JoiningEmbeddedCluster(logger, options.BootstrapServers, joined.ProcessId);
            }
            else
            {
                HostingLog.UsingCluster(logger, options.BootstrapServers);
            }

            return options.BootstrapServers;
        }

        embedded = EmbeddedKafkaCluster.Start(options.Embedded.Brokers);
        HostingLog.UsingEmbeddedCluster(logger, embedded.BootstrapServers);
        return embedded.BootstrapServers;
    }
}
