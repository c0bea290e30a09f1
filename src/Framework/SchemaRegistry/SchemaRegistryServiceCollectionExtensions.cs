using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaTyped.SchemaRegistry;

/// <summary>Registers the Schema Registry services.</summary>
public static class SchemaRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SchemaRegistryOptions"/> (from <c>KafkaTyped:SchemaRegistry</c>),
    /// <see cref="SchemaRegistrationOptions"/> (from <c>KafkaTyped:Schemas</c>), the <see cref="SchemaRegistryProvider"/>
    /// and the <see cref="SchemaRegistryClient.HttpClientName"/> HTTP client (its handler built from the TLS settings).
    /// Also calls <see cref="KafkaTypedServiceCollectionExtensions.AddKafkaTypedCore"/>, which registers these itself. Idempotent.
    /// </summary>
    /// <remarks>
    /// An <see cref="ISchemaRegistry"/> registered in the container (for example Confluent's client through the
    /// <c>KafkaTyped.SchemaRegistry.Confluent</c> package) is used instead of the built-in HTTP client.
    /// </remarks>
    public static IServiceCollection AddKafkaTypedSchemaRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddKafkaTypedCore(configuration);
        if (services.Any(static d => d.ServiceType == typeof(SchemaRegistryProvider)))
        {
            // Already registered (AddKafkaTypedCore does it): binding again would append the URLs a second time.
            return services;
        }

        var section = configuration.GetSection(KafkaTypedOptions.SectionName);
        // Bind is intercepted by the configuration binding generator: see NamedOptionsSetup.Bind for the pragma.
#pragma warning disable IL2026, IL3050
        services.AddOptions<SchemaRegistryOptions>().Bind(section.GetSection(SchemaRegistryOptions.SectionName));
        services.AddOptions<SchemaRegistrationOptions>().Bind(section.GetSection(SchemaRegistrationOptions.SectionName));
#pragma warning restore IL2026, IL3050
        services.AddHttpClient(SchemaRegistryClient.HttpClientName)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan) // per-attempt timeouts are the client's
            .ConfigurePrimaryHttpMessageHandler(static sp => SchemaRegistryClient.CreateHttpMessageHandler(sp.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value));
        services.TryAddSingleton(static sp => new SchemaRegistryProvider(
            sp.GetRequiredService<IOptions<SchemaRegistryOptions>>(),
            sp.GetRequiredService<KafkaCluster>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<ISchemaRegistry>(),
            sp.GetService<IHttpClientFactory>()));
        return services;
    }
}
