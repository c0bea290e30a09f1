using System.Diagnostics;
using Confluent.Kafka;
using KafkaTyped.Embedded;

namespace KafkaTyped.IntegrationTests.Embedded;

/// <summary>Starts and stops clusters of its own; not in the shared collection, so thread counts are its own business.</summary>
[Collection(nameof(ClusterLifecycleTests))]
[CollectionDefinition(nameof(ClusterLifecycleTests), DisableParallelization = true)]
public sealed class ClusterLifecycleTests
{
    [Fact]
    public void Fifty_clusters_start_and_stop_without_leaking_threads()
    {
        using (var warmUp = EmbeddedKafkaCluster.Start())
        {
            Assert.False(string.IsNullOrEmpty(warmUp.BootstrapServers));
        }

        var threadsBefore = LiveThreads();
        for (var i = 0; i < 50; i++)
        {
            using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
            Assert.Equal(3, cluster.BootstrapServers.Split(',').Length);
            Assert.True(EmbeddedKafkaCluster.IsEmbedded(cluster.BootstrapServers));
            Assert.True(cluster.CreateTopic($"t{i}", 2));
        }

        // Each cluster runs librdkafka threads for its handle and brokers (over ten); a leak of any would add up over 50.
        var threadsAfter = LiveThreads();
        Assert.True(threadsAfter <= threadsBefore + 5, $"threads before {threadsBefore}, after {threadsAfter}");
    }

    [Fact]
    public void Dispose_is_idempotent_and_later_calls_are_refused()
    {
        var cluster = EmbeddedKafkaCluster.Start(brokerCount: 1);
        var bootstrap = cluster.BootstrapServers;
        cluster.Dispose();
        cluster.Dispose();

        Assert.False(EmbeddedKafkaCluster.IsEmbedded(bootstrap));
        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late", 1));
    }

    [Fact]
    public void Embedded_tuning_applies_only_to_clients_of_an_embedded_cluster()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 1);
        var consumer = new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, SessionTimeoutMs = 9000 };
        var producer = new ProducerConfig { BootstrapServers = cluster.BootstrapServers };
        var remote = new ConsumerConfig { BootstrapServers = "kafka.example:9092" };

        Assert.True(EmbeddedClientTuning.ApplyIfEmbedded(consumer));
        Assert.True(EmbeddedClientTuning.ApplyIfEmbedded(producer));
        Assert.False(EmbeddedClientTuning.ApplyIfEmbedded(remote));

        Assert.Equal(10, consumer.FetchWaitMaxMs);
        Assert.Equal(9000, consumer.SessionTimeoutMs); // the caller's own value wins
        Assert.Null(producer.Get("fetch.wait.max.ms")); // consumer-only settings stay off producers
        Assert.Null(remote.FetchWaitMaxMs);
    }

    private static int LiveThreads()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.Threads.Count;
    }
}
