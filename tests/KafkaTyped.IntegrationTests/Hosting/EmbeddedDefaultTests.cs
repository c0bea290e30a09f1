using Confluent.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.IntegrationTests.Hosting;

public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task Without_bootstrap_servers_the_application_runs_on_an_embedded_cluster_and_says_so()
    {
        var logs = new ListLoggerProvider();
        await using var services = BuildServices(new Dictionary<string, string?>(), logs);
        var cluster = services.GetRequiredService<KafkaCluster>();

        Assert.True(cluster.IsEmbedded);
        Assert.True(EmbeddedKafkaCluster.IsEmbedded(cluster.BootstrapServers));
        var line = Assert.Single(logs.Messages, m => m.Contains("embedded Kafka cluster", StringComparison.Ordinal));
        Assert.Contains(cluster.BootstrapServers, line, StringComparison.Ordinal);
        Assert.Contains("KafkaTyped:BootstrapServers", line, StringComparison.Ordinal);

        // Clients built from the service reach it and carry the embedded tuning.
        cluster.Embedded!.CreateTopic("embedded-default", 2);
        using (var producer = new ProducerBuilder<string, string>(cluster.CreateProducerConfig()).Build())
        {
            var result = await producer.ProduceAsync("embedded-default", new Message<string, string> { Key = "k", Value = "v" });
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }

        Assert.Equal(10, cluster.CreateConsumerConfig("g").FetchWaitMaxMs);
    }

    [Fact]
    public async Task Configured_bootstrap_servers_and_settings_pass_through()
    {
        await using var services = BuildServices(new Dictionary<string, string?>
        {
            ["KafkaTyped:BootstrapServers"] = "broker-a:9092,broker-b:9092",
            ["KafkaTyped:Settings:client.id"] = "billing-service",
            ["KafkaTyped:Settings:acks"] = "1",
        }, new ListLoggerProvider());
        var cluster = services.GetRequiredService<KafkaCluster>();

        var producer = cluster.CreateProducerConfig();
        var consumer = cluster.CreateConsumerConfig("billing");

        Assert.False(cluster.IsEmbedded);
        Assert.Equal("broker-a:9092,broker-b:9092", producer.BootstrapServers);
        Assert.Equal("billing-service", producer.ClientId);
        Assert.Equal(Acks.Leader, producer.Acks); // the user's setting wins over the idempotent default
        Assert.True(producer.EnableIdempotence);
        Assert.Equal("billing", consumer.GroupId);
        Assert.False(consumer.EnableAutoCommit);
        Assert.Null(consumer.FetchWaitMaxMs); // no embedded tuning for a real cluster
    }

    private static ServiceProvider BuildServices(Dictionary<string, string?> settings, ListLoggerProvider logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs));
        services.AddKafkaTypedCore(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class ListLoggerProvider : ILoggerProvider, ILogger
    {
        private readonly List<string> messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (messages)
                {
                    return messages.ToArray();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (messages)
            {
                messages.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}
