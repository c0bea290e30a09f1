using Google.Protobuf;
using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaTyped.Cache;

/// <summary>Registers replicated caches. The generated <c>AddKafkaTyped</c> calls this for each <c>[ReplicatedCache]</c> class.</summary>
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
        services.AddKafkaTypedSchemaRegistry(configuration);
        if (services.Any(static d => d.ServiceType == typeof(TCache)))
        {
            return services; // already registered (AddKafkaTyped called twice): one replica, one status, one hosted service
        }

        services.AddSingleton(provider =>
        {
            var cluster = provider.GetRequiredService<KafkaCluster>();
            var registries = provider.GetRequiredService<SchemaRegistryProvider>();
            var settings = new ReplicatedCacheSettings
            {
                Topic = topic,
                Name = typeof(TCache).Name,
                Partitions = partitions,
                Producer = cluster.CreateProducerConfig(),
                Consumer = cluster.CreateConsumerConfig(groupId: null),
                ResolveSchemaRegistryAsync = registries.GetRegistryAsync,
            };
            return create(settings, provider);
        });
        services.AddSingleton<IReplicatedCacheStatus>(static provider => provider.GetRequiredService<TCache>());
        services.AddHostedService<ReplicatedCacheHostedService<TCache, TKey, TValue>>();
        return services;
    }

    /// <summary>Adds the readiness check <c>kafkatyped-caches-ready</c> (tag <c>ready</c>): every replicated cache caught up.</summary>
    public static IHealthChecksBuilder AddReplicatedCaches(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(new HealthCheckRegistration("kafkatyped-caches-ready", static sp => new ReplicatedCacheHealthCheck(sp.GetServices<IReplicatedCacheStatus>()), null, ["ready"]));
        return builder;
    }
}
