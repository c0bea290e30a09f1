using KafkaTyped.IntegrationTests.EndToEnd;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Pipeline;

/// <summary>
/// An application built from generated code only (<c>AddKafkaTyped</c> of this assembly) on an embedded cluster of its
/// own, with interceptors registered the way a user's Program.cs would.
/// </summary>
public static class PipelineHost
{
    public static IHost Build(IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            ["KafkaTyped:Embedded:Brokers"] = "1",
            ["KafkaTyped:Consumers:pipeline-orders-group:CommitInterval"] = "00:00:00.200",
            ["KafkaTyped:Consumers:pipeline-orders-group:Retry:MaxAttempts"] = "3",
            ["KafkaTyped:Consumers:pipeline-orders-group:Retry:InitialDelay"] = "00:00:00.020",
            ["KafkaTyped:Consumers:pipeline-orders-group:Retry:MaxDelay"] = "00:00:00.100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<PipelineJournal>();
        builder.Services.AddSingleton<Inbox>();
        builder.Services.AddKafkaTyped(builder.Configuration)
            .AddConsumeInterceptor(typeof(OuterInterceptor<>))
            .AddConsumeInterceptor<OrderInterceptor>(ServiceLifetime.Scoped)
            .AddProduceInterceptor<TenantHeaderInterceptor>();
        return builder.Build();
    }
}

/// <summary>One started host for a test class.</summary>
public sealed class PipelineHostFixture : IAsyncLifetime
{
    public IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = PipelineHost.Build(new Dictionary<string, string?>
        {
            // Declared consistent_random on the attribute; configuration wins.
            ["KafkaTyped:Topics:pipeline-override:Partitioner"] = "murmur2",
        });
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}
