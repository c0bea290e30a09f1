using Confluent.Kafka;
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
/// </remarks>
// Public only because ProducerServices' constructor (called by dependency injection, which needs public
// constructors) takes it; its members are internal.
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class KafkaProducerConnection : IDisposable
{
    private readonly Lazy<IProducer<byte[], byte[]>> producer;
    private readonly ILogger<KafkaProducerConnection> logger;

    /// <summary>Creates the connection; the producer is built on first use.</summary>
    public KafkaProducerConnection(KafkaCluster cluster, IOptions<KafkaTypedOptions> options, ILogger<KafkaProducerConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(options);
        this.logger = logger;
        var producerSettings = options.Value.ProducerSettings;
        producer = new Lazy<IProducer<byte[], byte[]>>(() => Build(cluster, producerSettings), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The configuration the producer was built with (after first use); for tests and diagnostics.</summary>
    internal ProducerConfig? Config { get; private set; }

    /// <summary>The underlying Confluent.Kafka producer.</summary>
    internal IProducer<byte[], byte[]> Producer => producer.Value;

    /// <summary>Waits until every queued message was delivered or failed.</summary>
    internal void Flush(TimeSpan timeout)
    {
        if (producer.IsValueCreated)
        {
            producer.Value.Flush(timeout);
        }
    }

    /// <summary>Flushes (up to 10 s) and disposes the producer.</summary>
    public void Dispose()
    {
        if (!producer.IsValueCreated)
        {
            return;
        }

        var remaining = producer.Value.Flush(TimeSpan.FromSeconds(10));
        if (remaining > 0)
        {
            ProducingLog.UndeliveredAtDispose(logger, remaining);
        }

        producer.Value.Dispose();
    }

    private IProducer<byte[], byte[]> Build(KafkaCluster cluster, Dictionary<string, string> producerSettings)
    {
        var config = cluster.CreateProducerConfig();
        foreach (var (key, value) in producerSettings)
        {
            config.Set(key, value);
        }

        config.Partitioner ??= Partitioner.Murmur2Random;
        Config = config;
        ProducingLog.CreatingProducer(logger, ConfigRedaction.Describe(config));
        return new ProducerBuilder<byte[], byte[]>(config)
            .SetErrorHandler((_, error) => ProducingLog.ProducerError(logger, error.Code, error.Reason))
            .SetLogHandler((_, message) => ProducingLog.Librdkafka(logger, message.Name, message.Message))
            .Build();
    }
}
