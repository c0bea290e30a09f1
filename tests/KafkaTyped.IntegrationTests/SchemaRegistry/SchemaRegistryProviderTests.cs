using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Tests.Protos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaTyped.IntegrationTests.SchemaRegistry;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class SchemaRegistryProviderTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task Without_urls_on_the_embedded_cluster_an_embedded_registry_is_started()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KafkaTyped:Embedded:Brokers"] = "1" }).Build();
        await using var services = new ServiceCollection().AddLogging().AddKafkaTypedSchemaRegistry(configuration).BuildServiceProvider();
        var provider = services.GetRequiredService<SchemaRegistryProvider>();

        var registry = await provider.GetRegistryAsync();
        Assert.Same(registry, await provider.GetRegistryAsync());
        Assert.StartsWith("http://127.0.0.1:", provider.EmbeddedUrl, StringComparison.Ordinal);

        var registration = new SchemaRegistration(registry, services.GetRequiredService<IOptions<SchemaRegistrationOptions>>().Value);
        var registered = await registration.RegisterAsync(TestMessageSets.Orders("orders"));
        Assert.Equal(1, registered.SchemaId);
    }

    [Fact]
    public async Task Configured_urls_are_used_and_a_real_cluster_without_urls_is_refused()
    {
        await using var embedded = await RegistryTestHelpers.StartRegistryAsync(fixture);
        var configured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = fixture.BootstrapServers,
            ["KafkaTyped:SchemaRegistry:Urls:0"] = embedded.Url,
            ["KafkaTyped:SchemaRegistry:MaxRetries"] = "0",
            ["KafkaTyped:Schemas:AutoRegisterSchemas"] = "false",
        }).Build();
        await using (var services = new ServiceCollection().AddLogging().AddKafkaTypedSchemaRegistry(configured).BuildServiceProvider())
        {
            var registry = await services.GetRequiredService<SchemaRegistryProvider>().GetRegistryAsync();
            Assert.Empty(await registry.GetSubjectsAsync());
            Assert.False(services.GetRequiredService<IOptions<SchemaRegistrationOptions>>().Value.AutoRegisterSchemas);
            Assert.Null(services.GetRequiredService<SchemaRegistryProvider>().EmbeddedUrl);
        }

        // An application joining the embedded cluster (another process's, or here this process's) with no URL uses the
        // registry that serves the cluster.
        var joining = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KafkaTyped:BootstrapServers"] = fixture.BootstrapServers }).Build();
        await using (var services = new ServiceCollection().AddLogging().AddKafkaTypedSchemaRegistry(joining).BuildServiceProvider())
        {
            var registry = await services.GetRequiredService<SchemaRegistryProvider>().GetRegistryAsync();
            Assert.Empty(await registry.GetSubjectsAsync());
            Assert.Null(services.GetRequiredService<SchemaRegistryProvider>().EmbeddedUrl); // used, not started
        }

        var unconfigured = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["KafkaTyped:BootstrapServers"] = "broker.example:9092" }).Build();
        await using var refusing = new ServiceCollection().AddLogging().AddKafkaTypedSchemaRegistry(unconfigured).BuildServiceProvider();
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await refusing.GetRequiredService<SchemaRegistryProvider>().GetRegistryAsync());
        Assert.Contains("KafkaTyped:SchemaRegistry:Urls", exception.Message, StringComparison.Ordinal);
    }
}
