using KafkaTyped.Consuming;
using KafkaTyped.Producing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaTyped.Hosting;

/// <summary>Registers KafkaTyped's services. The generated <c>AddKafkaTyped</c> of each assembly calls these.</summary>
public static class KafkaTypedServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KafkaTypedOptions"/> (bound from the <c>KafkaTyped</c> section of <paramref name="configuration"/>),
    /// the <see cref="KafkaCluster"/>, topic creation, the shared producer and the value framing (<see cref="IPayloadCodec"/>,
    /// replaceable by the Schema Registry integration).
    /// </summary>
    public static IServiceCollection AddKafkaTypedCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KafkaTypedOptions>().Bind(configuration.GetSection(KafkaTypedOptions.SectionName));
        services.TryAddSingleton<KafkaCluster>();
        services.TryAddSingleton<TopicProvisioner>();
        services.TryAddSingleton<IPayloadCodec, ConfluentFramingWithoutRegistry>();
        services.TryAddSingleton<KafkaProducerConnection>();
        services.TryAddSingleton<ProducerServices>();
        services.TryAddSingleton<ConsumerGroupMonitor>();
        return services;
    }

    /// <summary>
    /// Frames values through the Schema Registry: registers the registry services
    /// (<see cref="SchemaRegistry.SchemaRegistryServiceCollectionExtensions.AddKafkaTypedSchemaRegistry"/>, bound from
    /// <c>KafkaTyped:SchemaRegistry</c> and <c>KafkaTyped:Schemas</c>) and replaces <see cref="IPayloadCodec"/> with
    /// <see cref="SchemaRegistryPayloadCodec"/>.
    /// </summary>
    public static IServiceCollection AddKafkaTypedRegistryFraming(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        SchemaRegistry.SchemaRegistryServiceCollectionExtensions.AddKafkaTypedSchemaRegistry(services, configuration);
        services.Replace(ServiceDescriptor.Singleton<IPayloadCodec, SchemaRegistryPayloadCodec>());
        return services;
    }

    /// <summary>
    /// Runs a consumer of the group <typeparamref name="TDispatcher"/> dispatches as a hosted service. Register the
    /// group's handler classes yourself (the generated code registers them scoped).
    /// </summary>
    public static IServiceCollection AddKafkaTypedConsumer<TDispatcher>(this IServiceCollection services)
        where TDispatcher : ConsumerGroupDispatcher
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TDispatcher>();
        services.AddHostedService<ConsumerGroupHostedService<TDispatcher>>();
        return services;
    }

    /// <summary>Registers a typed producer as a singleton under its interface.</summary>
    public static IServiceCollection AddKafkaTypedProducer<TService, TImplementation>(this IServiceCollection services)
        where TService : class
        where TImplementation : TypedProducer, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TImplementation>();
        services.TryAddSingleton<TService>(static provider => provider.GetRequiredService<TImplementation>());
        return services;
    }

    /// <summary>
    /// Adds the consumer health checks: <c>kafkatyped-consumers-live</c> (tag <c>live</c>: every poll loop runs) and
    /// <c>kafkatyped-consumers-ready</c> (tag <c>ready</c>: every group also joined).
    /// </summary>
    public static IHealthChecksBuilder AddKafkaTypedConsumers(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(new HealthCheckRegistration("kafkatyped-consumers-live", static sp => new ConsumerGroupHealthCheck(sp.GetRequiredService<ConsumerGroupMonitor>(), readiness: false), null, ["live"]));
        builder.Add(new HealthCheckRegistration("kafkatyped-consumers-ready", static sp => new ConsumerGroupHealthCheck(sp.GetRequiredService<ConsumerGroupMonitor>(), readiness: true), null, ["ready"]));
        return builder;
    }
}
