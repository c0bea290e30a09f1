using KafkaTyped.Hosting;
using Microsoft.Extensions.Logging;
using KafkaTyped.Framing;
using KafkaTyped.Producing;

namespace KafkaTyped.GeneratedCode;

/// <summary>The services every typed producer needs, bundled so generated producers take one constructor parameter.</summary>
/// <remarks>
/// Singleton, built only by <see cref="KafkaTypedServiceCollectionExtensions.AddKafkaTypedCore"/> (hence the internal
/// constructor, and the parts it takes stay internal too).
/// </remarks>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public sealed class ProducerServices
{
    /// <summary>Creates the bundle; <paramref name="interceptors"/> is null when none are registered.</summary>
    internal ProducerServices(KafkaProducerConnection connection, IPayloadCodec codec, TopicProvisioner topics, ILoggerFactory loggerFactory, InterceptorRegistry? interceptors) =>
        (Connection, Codec, Topics, LoggerFactory, Interceptors) = (connection, codec, topics, loggerFactory, interceptors);

    /// <summary>The shared producer.</summary>
    internal KafkaProducerConnection Connection { get; }

    /// <summary>The value framing.</summary>
    internal IPayloadCodec Codec { get; }

    /// <summary>Topic creation.</summary>
    internal TopicProvisioner Topics { get; }

    /// <summary>Logging.</summary>
    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>The registered interceptors, or null.</summary>
    internal InterceptorRegistry? Interceptors { get; }
}
