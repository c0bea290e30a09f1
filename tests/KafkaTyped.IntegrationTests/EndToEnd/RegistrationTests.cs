using KafkaTyped.Hosting;
using KafkaTyped.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using KafkaTyped.Framing;

namespace KafkaTyped.IntegrationTests.EndToEnd;

/// <summary>What the generated <c>AddKafkaTyped</c> registers, without starting anything.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task AddKafkaTyped_registers_every_generated_part_with_registry_framing_by_default_and_binds_urls_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:SchemaRegistry:Urls:0"] = "http://registry.invalid:8081",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Inbox>();

        services.AddKafkaTyped(configuration);

        await using var provider = services.BuildServiceProvider();
        Assert.Equal(["http://registry.invalid:8081"], provider.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value.Urls);
        Assert.Equal(typeof(SchemaRegistryPayloadCodec), services.Single(d => d.ServiceType == typeof(IPayloadCodec)).ImplementationType);
        Assert.Single(services, d => d.ServiceType == typeof(IOrderFlowProducer));
        Assert.Single(services, d => d.ServiceType == typeof(PriceBoard));
        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(Billing)).Lifetime);
        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(Shipping)).Lifetime);
        var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).Select(d => d.ImplementationType?.Name ?? "factory").ToList();
        Assert.Contains(hosted, n => n.StartsWith("ConsumerGroupHostedService", StringComparison.Ordinal));
        Assert.Single(services, d => d.ServiceType == typeof(BillingDispatcher));
        Assert.Single(services, d => d.ServiceType == typeof(ShippingDispatcher));
        Assert.Single(services, d => d.ServiceType == typeof(PriceBoardAuditDispatcher));
        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(PriceBoardAudit)).Lifetime);
    }
}
