using KafkaTyped.Hosting;
using KafkaTyped.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KafkaTyped.SchemaRegistry;

/// <summary>Registers the Schema Registry services.</summary>
public static class SchemaRegistryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SchemaRegistryOptions"/> (from <c>KafkaTyped:SchemaRegistry</c>),
    /// <see cref="SchemaRegistrationOptions"/> (from <c>KafkaTyped:Schemas</c>) and the <see cref="SchemaRegistryProvider"/>.
    /// Also calls <see cref="KafkaTypedServiceCollectionExtensions.AddKafkaTypedCore"/>, which registers these itself. Idempotent.
    /// </summary>
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
        services.AddOptions<SchemaRegistryOptions>().Bind(section.GetSection(SchemaRegistryOptions.SectionName));
        services.AddOptions<SchemaRegistrationOptions>().Bind(section.GetSection(SchemaRegistrationOptions.SectionName));
        services.TryAddSingleton<SchemaRegistryProvider>();
        return services;
    }
}
