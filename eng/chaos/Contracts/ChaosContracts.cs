using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Chaos;

/// <summary>Registers this library's generated producer (its <c>AddKafkaTyped</c> is internal to the library).</summary>
public static class ChaosContracts
{
    /// <summary>Registers <see cref="IChaosTicksProducer"/> and the KafkaTyped core services.</summary>
    public static IServiceCollection AddChaosProducer(this IServiceCollection services, IConfiguration configuration) =>
        services.AddKafkaTyped(configuration);
}
