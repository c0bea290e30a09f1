using System.Diagnostics.CodeAnalysis;
using KafkaTyped.Consuming;
using KafkaTyped.Producing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Hosting;

/// <summary>Registers KafkaTyped's services. The generated <c>AddKafkaTyped</c> of each assembly calls these.</summary>
public static class KafkaTypedServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KafkaTypedOptions"/> (bound from the <c>KafkaTyped</c> section of <paramref name="configuration"/>),
    /// the <see cref="KafkaCluster"/>, topic creation, the shared producer, the Schema Registry services (from
    /// <c>KafkaTyped:SchemaRegistry</c> and <c>KafkaTyped:Schemas</c>; no URL: the embedded registry) and the value framing:
    /// <see cref="SchemaRegistryPayloadCodec"/> (real schema ids) unless an <see cref="IPayloadCodec"/> is already registered.
    /// Idempotent.
    /// </summary>
    public static IServiceCollection AddKafkaTypedCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(static d => d.ServiceType == typeof(CoreMarker)))
        {
            return services;
        }

        services.AddSingleton<CoreMarker>();

        // Bad settings stop the host at start, naming the key (a malformed broker list, an unknown or invalid librdkafka
        // setting); a group's own options are checked when its consumer starts.
        // Bind is intercepted by the configuration binding generator: see NamedOptionsSetup.Bind for the pragma.
#pragma warning disable IL2026, IL3050
        services.AddOptions<KafkaTypedOptions>().Bind(configuration.GetSection(KafkaTypedOptions.SectionName)).ValidateOnStart();
#pragma warning restore IL2026, IL3050
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaTypedOptions>, KafkaTypedOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaTypedOptions>, TopicProducerOptionsValidator>());
        KafkaTypedInterceptorServiceCollectionExtensions.AddInterceptorRegistry(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ConsumerGroupOptions>>(new ConsumerGroupOptionsSetup(configuration)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsumerGroupOptions>, ConsumerGroupOptionsValidator>());
        services.TryAddSingleton<KafkaCluster>();
        services.TryAddSingleton<TopicProvisioner>();
        SchemaRegistry.SchemaRegistryServiceCollectionExtensions.AddKafkaTypedSchemaRegistry(services, configuration);
        services.TryAddSingleton<IPayloadCodec, SchemaRegistryPayloadCodec>();
        services.TryAddSingleton<KafkaProducerConnection>();
        services.TryAddSingleton(static provider => new ProducerServices(
            provider.GetRequiredService<KafkaProducerConnection>(),
            provider.GetRequiredService<IPayloadCodec>(),
            provider.GetRequiredService<TopicProvisioner>(),
            provider.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(),
            provider.GetRequiredService<InterceptorRegistry>()));
        services.TryAddSingleton<ConsumerGroupMonitor>();
        services.TryAddSingleton<ConsumerGroupControl>();
        services.TryAddSingleton<TopicReader>();
        services.TryAddSingleton<IConsumerGroupControl>(static provider => provider.GetRequiredService<ConsumerGroupControl>());
        return services;
    }

    /// <summary>
    /// Frames values through the Schema Registry — the default of <see cref="AddKafkaTypedCore"/> already; this also
    /// replaces an <see cref="IPayloadCodec"/> registered earlier with <see cref="SchemaRegistryPayloadCodec"/>.
    /// </summary>
    public static IServiceCollection AddKafkaTypedRegistryFraming(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddKafkaTypedCore(configuration);
        services.Replace(ServiceDescriptor.Singleton<IPayloadCodec, SchemaRegistryPayloadCodec>());
        return services;
    }

    /// <summary>
    /// Runs a consumer of the group <typeparamref name="TDispatcher"/> dispatches as a hosted service. Register the
    /// group's handler classes yourself (the generated code registers them scoped).
    /// </summary>
    public static IServiceCollection AddKafkaTypedConsumer<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDispatcher>(this IServiceCollection services)
        where TDispatcher : ConsumerGroupDispatcher
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TDispatcher>();
        services.TryAddSingleton(new ScopedRegistrations(services));
        services.AddHostedService<ConsumerGroupHostedService<TDispatcher>>();
        return services;
    }

    /// <summary>Registers a typed producer as a singleton under its interface.</summary>
    public static IServiceCollection AddKafkaTypedProducer<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TImplementation>(this IServiceCollection services)
        where TService : class
        where TImplementation : TypedProducer, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<TImplementation>();
        services.TryAddSingleton<TService>(static provider => provider.GetRequiredService<TImplementation>());
        return services;
    }

    /// <summary>Marks <see cref="AddKafkaTypedCore"/> as done, so that it binds its options once.</summary>
    private sealed class CoreMarker;

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
