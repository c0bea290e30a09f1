using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KafkaTyped.Hosting;

/// <summary>Registers KafkaTyped's core services.</summary>
public static class KafkaTypedServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="KafkaTypedOptions"/> (bound from the <c>KafkaTyped</c> section of <paramref name="configuration"/>)
    /// and the <see cref="KafkaCluster"/>. The generated <c>AddKafkaTyped</c> of each assembly calls this.
    /// </summary>
    public static IServiceCollection AddKafkaTypedCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KafkaTypedOptions>().Bind(configuration.GetSection(KafkaTypedOptions.SectionName));
        services.TryAddSingleton<KafkaCluster>();
        return services;
    }
}
