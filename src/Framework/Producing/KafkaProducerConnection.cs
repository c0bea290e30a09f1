using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaTyped.GeneratedCode;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaTyped.Producing;

/// <summary>
/// The application's one Kafka producer (librdkafka batches per connection, so one is fastest), shared by every typed
/// producer and by the consumers' dead-letter publishing.
/// </summary>
/// <remarks>
/// Defaults: <c>enable.idempotence=true</c>, <c>acks=all</c> and <c>partitioner=murmur2_random</c>, which puts a key on
/// the same partition as the Java client's default partitioner (null keys go to a random partition). Settings from
/// <c>KafkaTyped:Settings</c> and <c>KafkaTyped:ProducerSettings</c> override them. Singleton and thread-safe; disposing
/// flushes for up to 10 s.
/// <para>A topic whose acknowledgements, partitioner or idempotence differ from the application's
/// (<c>KafkaTyped:Topics:{topic}</c> or its <c>[Topic]</c> attribute) is sent through a second producer of that profile,
/// built on first use, flushed and disposed with this one; topics sharing a profile share its producer.</para>
/// </remarks>
internal sealed class KafkaProducerConnection : IDisposable
{
    private readonly Lazy<IProducer<byte[], byte[]>> producer;
    private readonly ILogger<KafkaProducerConnection> logger;
    private readonly KafkaCluster cluster;
    private readonly Dictionary<string, string> producerSettings;
    private readonly TopicProducerProfiles profiles;
    private readonly ConcurrentDictionary<string, IProducer<byte[], byte[]>> topicProducers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ProducerProfile, Lazy<IProducer<byte[], byte[]>>> profileProducers = new();

    /// <summary>Creates the connection with the topics' declared producer options; producers are built on first use.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="options">The options (<c>ProducerSettings</c> and <c>Topics</c>).</param>
    /// <param name="logger">The logger.</param>
    /// <param name="declarations">What <c>[Topic]</c> attributes declare (registered by the generated <c>AddKafkaTyped</c>; none without it).</param>
    public KafkaProducerConnection(KafkaCluster cluster, IOptions<KafkaTypedOptions> options, ILogger<KafkaProducerConnection> logger, IEnumerable<TopicDeclaration> declarations)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(declarations);
        this.logger = logger;
        this.cluster = cluster;
        producerSettings = options.Value.ProducerSettings;
        profiles = new TopicProducerProfiles(options.Value, declarations);
        producer = new Lazy<IProducer<byte[], byte[]>>(() => Build(null), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The configuration the producer was built with (after first use); for tests and diagnostics.</summary>
    internal ProducerConfig? Config { get; private set; }

    /// <summary>The underlying Confluent.Kafka producer.</summary>
    internal IProducer<byte[], byte[]> Producer => producer.Value;

    /// <summary>Waits until every queued message (of every profile's producer) was delivered or failed.</summary>
    internal void Flush(TimeSpan timeout)
    {
        if (producer.IsValueCreated)
        {
            producer.Value.Flush(timeout);
        }

        foreach (var (_, profileProducer) in profileProducers)
        {
            if (profileProducer.IsValueCreated)
            {
                profileProducer.Value.Flush(timeout);
            }
        }
    }

    /// <summary>
    /// The producer <paramref name="topic"/> is sent through: <see cref="Producer"/>, or the producer of the topic's own
    /// profile when its options differ from the application's. Resolved once per topic.
    /// </summary>
    internal IProducer<byte[], byte[]> ProducerFor(string topic) =>
        topicProducers.TryGetValue(topic, out var found) ? found : topicProducers.GetOrAdd(topic, ResolveProducer);

    /// <summary>The profile <paramref name="topic"/> is produced with; for tests and diagnostics.</summary>
    internal ProducerProfile ProfileOf(string topic) => profiles.Resolve(topic);

    /// <summary>The configuration of the producer <paramref name="topic"/> is sent through (after first use); for tests.</summary>
    internal ProducerConfig? ConfigFor(string topic) =>
        profiles.Resolve(topic) is var profile && profile == profiles.Defaults ? Config : ProfileConfigs.GetValueOrDefault(profile);

    private ConcurrentDictionary<ProducerProfile, ProducerConfig> ProfileConfigs { get; } = new();

    private IProducer<byte[], byte[]> ResolveProducer(string topic)
    {
        var profile = profiles.Resolve(topic);
        if (profile == profiles.Defaults)
        {
            return Producer;
        }

        return profileProducers.GetOrAdd(profile, static (p, self) => new Lazy<IProducer<byte[], byte[]>>(() => self.Build(p), LazyThreadSafetyMode.ExecutionAndPublication), this).Value;
    }

    /// <summary>Flushes (up to 10 s) and disposes the producer.</summary>
    public void Dispose()
    {
        foreach (var (_, profileProducer) in profileProducers)
        {
            if (profileProducer.IsValueCreated)
            {
                Close(profileProducer.Value);
            }
        }

        if (producer.IsValueCreated)
        {
            Close(producer.Value);
        }
    }

    private void Close(IProducer<byte[], byte[]> closing)
    {
        var remaining = closing.Flush(TimeSpan.FromSeconds(10));
        if (remaining > 0)
        {
            ProducingLog.UndeliveredAtDispose(logger, remaining);
        }

        closing.Dispose();
    }

    /// <summary>The application's producer (<paramref name="profile"/> null) or the producer of a topic profile.</summary>
    private IProducer<byte[], byte[]> Build(ProducerProfile? profile)
    {
        var config = cluster.CreateProducerConfig();
        foreach (var (key, value) in producerSettings)
        {
            config.Set(key, value);
        }

        config.Partitioner ??= Confluent.Kafka.Partitioner.Murmur2Random;
        if (profile is { } p)
        {
            config.Acks = p.Acks;
            config.Partitioner = p.Partitioner;
            config.EnableIdempotence = p.Idempotence;
            ProfileConfigs[p] = config;
            ProducingLog.CreatingTopicProducer(logger, p.ToString());
        }
        else
        {
            Config = config;
        }

        ProducingLog.CreatingProducer(logger, ConfigRedaction.Describe(config));
        return new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => ProducingLog.ProducerError(logger, error.Code, error.Reason))
            .SetLogHandler((_, message) => ProducingLog.Librdkafka(logger, message.Name, message.Message))
            .Build();
    }
}
