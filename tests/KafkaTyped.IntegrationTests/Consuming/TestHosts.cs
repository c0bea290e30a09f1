using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using KafkaTyped.Framing;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>Builds application hosts the way a user's Program.cs would, against the shared embedded cluster.</summary>
public static class TestHosts
{
    /// <summary>Creates a scenario with a fresh topic (and its dead-letter topic) and a fresh group id.</summary>
    public static TestScenario NewScenario(EmbeddedClusterFixture fixture, string prefix, int partitions = 6)
    {
        var topic = fixture.NewTopic(prefix, partitions);
        fixture.Cluster.CreateTopic(topic + ".dlq", partitions);
        return new TestScenario($"g-{prefix}-{Guid.NewGuid():N}"[..24], new TestMessageSet(topic, partitions));
    }

    /// <summary>A host with the scenario's consumer group (and producer) registered; not started.</summary>
    /// <param name="settings">More configuration keys, as an appsettings.json would hold them (for example <c>KafkaTyped:ConsumerSettings:...</c>).</param>
    public static IHost Build(EmbeddedClusterFixture fixture, TestScenario scenario, Action<ConsumerGroupOptions>? configure = null, bool consumer = true, string? bootstrapServers = null, string hostName = "app", ILoggerProvider? logs = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["KafkaTyped:BootstrapServers"] = bootstrapServers ?? fixture.BootstrapServers,
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(logs is null ? LogLevel.Warning : LogLevel.Debug);
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        // These hand-built test sets carry no registrable schema: frame without a registry (the default is the registry).
        builder.Services.AddSingleton<IPayloadCodec, ConfluentFramingWithoutRegistry>();
        builder.Services.AddKafkaTypedCore(builder.Configuration);
        builder.Services.AddSingleton(scenario);
        builder.Services.AddSingleton(new HostIdentity(hostName));
        builder.Services.AddScoped<RecordingHandler>();
        builder.Services.AddKafkaTypedProducer<TestEventsProducer, TestEventsProducer>();
        if (consumer)
        {
            builder.Services.Configure<ConsumerGroupOptions>(scenario.GroupId, options =>
            {
                options.CommitInterval = TimeSpan.FromMilliseconds(200);
                options.Retry.InitialDelay = TimeSpan.FromMilliseconds(20);
                options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
                configure?.Invoke(options);
            });
            builder.Services.AddKafkaTypedConsumer<TestDispatcher>();
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder.Build();
    }

    /// <summary>Builds and starts a host.</summary>
    public static async Task<IHost> StartAsync(EmbeddedClusterFixture fixture, TestScenario scenario, Action<ConsumerGroupOptions>? configure = null, string hostName = "app", ILoggerProvider? logs = null)
    {
        var host = Build(fixture, scenario, configure, hostName: hostName, logs: logs);
        await host.StartAsync();
        return host;
    }
}
