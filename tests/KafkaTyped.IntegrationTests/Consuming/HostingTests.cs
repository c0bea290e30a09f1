using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>An application configured only through the <c>KafkaTyped</c> section, on its own embedded cluster (no bootstrap servers).</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task Without_bootstrap_servers_the_app_runs_on_an_embedded_cluster_with_declared_partitions_bound_options_redacted_secrets_and_health()
    {
        var scenario = new TestScenario("billing-embedded", new TestMessageSet("orders-embedded", partitions: 3));
        var logs = new CapturingLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:Settings:sasl.password"] = "s3cr3t-value",
            ["KafkaTyped:Consumers:billing-embedded:MaxConcurrencyPerPartition"] = "2",
            ["KafkaTyped:Consumers:billing-embedded:CommitInterval"] = "00:00:00.250",
            ["KafkaTyped:Consumers:billing-embedded:Retry:MaxAttempts"] = "7",
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddProvider(logs);
        // These hand-built test sets carry no registrable schema: frame without a registry (the default is the registry).
        builder.Services.AddSingleton<IPayloadCodec, ConfluentFramingWithoutRegistry>();
        builder.Services.AddKafkaTypedCore(builder.Configuration);
        builder.Services.AddSingleton(scenario);
        builder.Services.AddSingleton(new HostIdentity("embedded"));
        builder.Services.AddScoped<RecordingHandler>();
        builder.Services.AddKafkaTypedProducer<TestEventsProducer, TestEventsProducer>();
        builder.Services.AddKafkaTypedConsumer<TestDispatcher>();
        builder.Services.AddHealthChecks().AddKafkaTypedConsumers();
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptionsMonitor<ConsumerGroupOptions>>().Get("billing-embedded");
        Assert.Equal(2, options.MaxConcurrencyPerPartition);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.CommitInterval);
        Assert.Equal(7, options.Retry.MaxAttempts);

        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status); // no consumer registered its status yet

        await host.StartAsync();
        var cluster = host.Services.GetRequiredService<KafkaCluster>();
        Assert.True(cluster.IsEmbedded);
        await host.Services.GetRequiredService<TestEventsProducer>().ProduceAsync(new StringValue { Value = "embedded" }, "k");
        await scenario.WaitForCountAsync(1, TimeSpan.FromSeconds(30));

        var ready = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Healthy, ready.Status);

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
            Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "orders-embedded").Partitions.Count);
            Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "orders-embedded.dlq").Partitions.Count);
        }

        await host.StopAsync();
        var live = await health.CheckHealthAsync(r => r.Tags.Contains("live"));
        Assert.Equal(HealthStatus.Unhealthy, live.Status);
        Assert.Contains("not running", live.Entries["kafkatyped-consumers-live"].Description);

        var settingsLogs = logs.Entries.Where(e => e.EventId is 1100 or 1200).ToList();
        Assert.Equal(2, settingsLogs.Count);
        Assert.All(settingsLogs, e => Assert.Contains("sasl.password=***", e.Message));
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("s3cr3t-value", StringComparison.Ordinal));
    }
}
