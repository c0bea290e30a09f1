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

    /// <summary>
    /// Reads the operations of the cache <typeparamref name="TCache"/> in consumer group <paramref name="groupId"/> and
    /// hands each to <typeparamref name="THandler"/> (registered scoped), with at-least-once commits, retries and dead
    /// letters like any consumer group. The application need not host the cache itself.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration (the <c>KafkaTyped</c> section).</param>
    /// <param name="groupId">The consumer group.</param>
    /// <param name="topic">The cache's topic (a generated cache's <c>TopicName</c>).</param>
    /// <param name="partitions">The cache's partitions (a generated cache's <c>PartitionCount</c>).</param>
    public static IServiceCollection AddCacheOperationsConsumer<TCache, TKey, TValue, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IServiceCollection services, IConfiguration configuration, string groupId, string topic, int partitions)
        where TCache : ReplicatedCache<TKey, TValue>
        where TKey : notnull
        where TValue : class, IMessage<TValue>, new()
        where THandler : class, ICacheOperationHandler<TKey, TValue>
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        services.AddKafkaTypedCore(configuration);
        services.TryAddScoped<THandler>();

        // The same operation set (name, package, messages) the cache registers, so both share one schema id.
        var operations = CacheOperationsSet.For<TValue>(typeof(TCache).Name, topic, partitions);
        services.TryAddSingleton(provider => new CacheOperationsDispatcher<TKey, TValue, THandler>(provider.GetRequiredService<IPayloadCodec>(), groupId, operations));
        services.AddHostedService<Consuming.ConsumerGroupHostedService<CacheOperationsDispatcher<TKey, TValue, THandler>>>();
        return services;
    }
}
