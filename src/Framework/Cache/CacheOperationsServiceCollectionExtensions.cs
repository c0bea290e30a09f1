using System.Diagnostics.CodeAnalysis;
using Google.Protobuf;
using KafkaTyped.Framing;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KafkaTyped.Cache;

/// <summary>
/// Consumes a replicated cache's operations in a consumer group of the application's own, next to (or without) the
/// cache itself.
/// </summary>
public static class CacheOperationsServiceCollectionExtensions
{
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
        services.TryAddSingleton(new Consuming.ScopedRegistrations(services));
        services.AddHostedService<Consuming.ConsumerGroupHostedService<CacheOperationsDispatcher<TKey, TValue, THandler>>>();
        return services;
    }
}
