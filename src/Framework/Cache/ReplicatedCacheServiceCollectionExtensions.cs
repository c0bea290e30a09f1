using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;
using KafkaTyped.Cache;

namespace KafkaTyped.GeneratedCode;

/// <summary>Registers replicated caches. The generated <c>AddKafkaTyped</c> calls this for each <c>[ReplicatedCache]</c> class.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class ReplicatedCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TCache"/> as a singleton on the application's cluster and Schema Registry, and a
    /// hosted service that creates its topic and starts its replica.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration (the <c>KafkaTyped</c> section).</param>
    /// <param name="topic">The cache's topic.</param>
    /// <param name="partitions">Partitions to create the topic with.</param>
    /// <param name="create">Creates the cache from its settings (the generated constructor call).</param>
    public static IServiceCollection AddReplicatedCache<TCache, TKey, TValue>(this IServiceCollection services, IConfiguration configuration, string topic, int partitions, Func<ReplicatedCacheSettings, IServiceProvider, TCache> create)
        where TCache : ReplicatedCache<TKey, TValue>
        where TKey : notnull
        where TValue : class, IMessage<TValue>, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(create);
        services.AddKafkaTypedCore(configuration);
        if (services.Any(static d => d.ServiceType == typeof(TCache)))
        {
            return services; // already registered (AddKafkaTyped called twice): one replica, one status, one hosted service
        }

        var setup = new ReplicatedCacheOptionsSetup(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ReplicatedCacheOptions>>(setup));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReplicatedCacheOptions>>(setup));

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<ReplicatedCacheOptions>>().Get(topic);
            var settings = new ReplicatedCacheSettings
            {
                Topic = topic,
                Name = typeof(TCache).Name,
                Partitions = partitions,
                Readers = options.Readers,
                WriteTimeout = options.WriteTimeout,
                Services = provider,
            };
            return create(settings, provider);
        });
        services.AddSingleton<IReplicatedCacheStatus>(static provider => provider.GetRequiredService<TCache>());
        services.AddHostedService<ReplicatedCacheHostedService<TCache, TKey, TValue>>();
        return services;
    }
}
