using Confluent.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Embedded.SchemaRegistry;

namespace KafkaTyped.IntegrationTests.Infrastructure;

/// <summary>
/// One embedded Kafka cluster (3 brokers) shared by the tests of a collection. Tests create their own uniquely named
/// topics (<see cref="NewTopic"/>) so they never see each other's records.
/// </summary>
public sealed class EmbeddedClusterFixture : IDisposable
{
    private readonly Lazy<Task<EmbeddedSchemaRegistry>> registry;
    private int topicCounter;

    public EmbeddedClusterFixture()
    {
        Cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
        registry = new Lazy<Task<EmbeddedSchemaRegistry>>(() => EmbeddedSchemaRegistry.StartAsync(Cluster));
    }

    /// <summary>An embedded Schema Registry on the cluster, started on first use and shared by the collection.</summary>
    public Task<EmbeddedSchemaRegistry> SharedRegistryAsync() => registry.Value;

    /// <summary>A registry client for <see cref="SharedRegistryAsync"/>.</summary>
    public async Task<SchemaRegistryClient> SharedRegistryClientAsync() =>
        new(new SchemaRegistryOptions { Urls = [(await SharedRegistryAsync()).Url] });

    public EmbeddedKafkaCluster Cluster { get; }

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>Creates a fresh topic with a unique name (prefix plus a counter) and returns its name.</summary>
    public string NewTopic(string prefix, int partitions = 6)
    {
        var name = $"{prefix}-{Interlocked.Increment(ref topicCounter)}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 14, 200)];
        Cluster.CreateTopic(name, partitions);
        return name;
    }

    /// <summary>A producer configuration for the cluster: idempotent, acks=all, embedded tuning applied.</summary>
    public ProducerConfig ProducerConfig()
    {
        var config = new ProducerConfig { BootstrapServers = BootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 5 };
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        return config;
    }

    /// <summary>A consumer configuration for the cluster: manual commits, earliest reset, embedded tuning applied.</summary>
    public ConsumerConfig ConsumerConfig(string? groupId = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId ?? $"g-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        EmbeddedClientTuning.ApplyIfEmbedded(config);
        return config;
    }

    public void Dispose()
    {
        if (registry.IsValueCreated)
        {
            registry.Value.GetAwaiter().GetResult().Dispose();
        }

        Cluster.Dispose();
    }
}

/// <summary>Tests in this collection share one <see cref="EmbeddedClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedClusterCollection : ICollectionFixture<EmbeddedClusterFixture>
{
    public const string Name = "Embedded Kafka cluster";
}
