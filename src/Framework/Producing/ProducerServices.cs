using KafkaTyped.Hosting;
using Microsoft.Extensions.Logging;
using KafkaTyped.Framing;
using KafkaTyped.Producing;

namespace KafkaTyped.GeneratedCode;

/// <summary>The services every typed producer needs, bundled so generated producers take one constructor parameter.</summary>
/// <remarks>Singleton.</remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ProducerServices
{
    /// <summary>Creates the bundle.</summary>
    public ProducerServices(KafkaProducerConnection connection, IPayloadCodec codec, TopicProvisioner topics, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Connection = connection;
        Codec = codec;
        Topics = topics;
        LoggerFactory = loggerFactory;
    }

    /// <summary>The shared producer.</summary>
    internal KafkaProducerConnection Connection { get; }

    /// <summary>The value framing.</summary>
    internal IPayloadCodec Codec { get; }

    /// <summary>Topic creation.</summary>
    internal TopicProvisioner Topics { get; }

    /// <summary>Logging.</summary>
    internal ILoggerFactory LoggerFactory { get; }
}
