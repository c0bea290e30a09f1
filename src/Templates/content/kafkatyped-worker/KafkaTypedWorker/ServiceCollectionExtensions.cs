using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTypedWorker;

/// <summary>Registers the billing service: what Program.cs and the tests share.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>KafkaTyped (the generated <c>AddKafkaTyped</c>: producer, consumer group, Schema Registry) and the billed orders.</summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BilledOrders>();
        services.AddKafkaTyped(configuration);
        return services;
    }
}
