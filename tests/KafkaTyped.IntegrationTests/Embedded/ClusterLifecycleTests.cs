using System.Diagnostics;
using Confluent.Kafka;
using KafkaTyped.Embedded;

namespace KafkaTyped.IntegrationTests.Embedded;

/// <summary>Starts and stops clusters of its own; not in the shared collection, so thread counts are its own business.</summary>
[Collection(nameof(ClusterLifecycleTests))]
[CollectionDefinition(nameof(ClusterLifecycleTests), DisableParallelization = true)]
public sealed class ClusterLifecycleTests(Xunit.Abstractions.ITestOutputHelper output)
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

    [Fact]
    public async Task A_cluster_disposed_while_clients_are_still_connected_takes_the_process_down_with_nothing()
    {
        // librdkafka 2.0.2 aborted the process here (rd_kafka_broker_destroy_final: thrd_is_current). Clients connected
        // to a cluster that goes away see their brokers disappear and retry until they are disposed themselves.
        for (var round = 0; round < 3; round++)
        {
            var cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
            cluster.CreateTopic("live", 3);
            var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 5, MessageTimeoutMs = 2000 }).Build();
            var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
            {
                BootstrapServers = cluster.BootstrapServers,
                GroupId = $"live-{round}",
                AutoOffsetReset = AutoOffsetReset.Earliest,
                SessionTimeoutMs = 6000,
                FetchWaitMaxMs = 10,
                EnableAutoCommit = false,
            }).Build();
            consumer.Subscribe("live");
            await producer.ProduceAsync("live", new Message<string, string> { Key = "k", Value = "v" });
            var consumed = consumer.Consume(TimeSpan.FromSeconds(30));
            Assert.NotNull(consumed);

            // Messages in flight and a consumer between polls while the brokers go away.
            for (var i = 0; i < 100; i++)
            {
                producer.Produce("live", new Message<string, string> { Key = $"k{i}", Value = "v" });
            }

            var watch = Stopwatch.StartNew();
            cluster.Dispose();
            _ = consumer.Consume(TimeSpan.FromMilliseconds(200));
            producer.Flush(TimeSpan.FromMilliseconds(500));
            consumer.Close();
            consumer.Dispose();
            producer.Dispose();
            output.WriteLine($"round {round}: cluster and clients disposed in {watch.ElapsedMilliseconds} ms");
        }
    }

    [Fact]
    public void A_process_joining_another_process_s_embedded_cluster_gets_the_embedded_tuning_until_that_process_ends()
    {
        // Another process on this machine "hosts" a cluster: its record is published under its process id. The
        // addresses are ones no cluster in this process uses.
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        var bootstrap = "127.0.0.1:1,127.0.0.1:2";
        try
        {
            WriteRecord(bootstrap, other.Id, "http://127.0.0.1:3");

            var joiner = new ConsumerConfig { BootstrapServers = "localhost:2" };
            Assert.True(EmbeddedKafkaCluster.IsEmbedded(joiner.BootstrapServers));
            Assert.True(EmbeddedClientTuning.ApplyIfEmbedded(joiner));
            Assert.Equal(10, joiner.FetchWaitMaxMs);
            Assert.Equal(6000, joiner.SessionTimeoutMs);
            Assert.Equal("http://127.0.0.1:3", EmbeddedKafkaCluster.FindRegistryUrl("127.0.0.1:1"));

            // KIP-848 consumers take session and heartbeat from the broker: librdkafka refuses both settings.
            var kip848 = new ConsumerConfig { BootstrapServers = bootstrap };
            kip848.Set("group.protocol", "consumer");
            Assert.True(EmbeddedClientTuning.ApplyIfEmbedded(kip848));
            Assert.Equal(10, kip848.FetchWaitMaxMs);
            Assert.Null(kip848.SessionTimeoutMs);
            Assert.Null(kip848.HeartbeatIntervalMs);

            other.Kill();
            other.WaitForExit();
            Assert.False(EmbeddedKafkaCluster.IsEmbedded(bootstrap));
            Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "kafkatyped", "embedded", "127.0.0.1_1.json")));
        }
        finally
        {
            if (!other.HasExited)
            {
                other.Kill();
            }
        }
    }

    [Fact]
    public async Task A_cluster_is_published_while_it_runs_with_its_registry_and_withdrawn_when_disposed()
    {
        var cluster = EmbeddedKafkaCluster.Start(brokerCount: 2);
        var file = Path.Combine(Path.GetTempPath(), "kafkatyped", "embedded", cluster.BootstrapServers.Split(',')[1].Replace(':', '_') + ".json");
        Assert.True(File.Exists(file));
        Assert.Contains($"\"processId\":{Environment.ProcessId}", File.ReadAllText(file), StringComparison.Ordinal);

        await using (var registry = await KafkaTyped.Embedded.SchemaRegistry.EmbeddedSchemaRegistry.StartAsync(cluster))
        {
            Assert.Equal(registry.Url, EmbeddedKafkaCluster.FindRegistryUrl(cluster.BootstrapServers));
        }

        Assert.Null(EmbeddedKafkaCluster.FindRegistryUrl(cluster.BootstrapServers));
        cluster.Dispose();
        Assert.False(File.Exists(file));
    }

    private static void WriteRecord(string bootstrap, int processId, string registryUrl)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kafkatyped", "embedded");
        Directory.CreateDirectory(directory);
        foreach (var address in bootstrap.Split(','))
        {
            File.WriteAllText(Path.Combine(directory, address.Replace(':', '_') + ".json"),
                $"{{\"bootstrapServers\":\"{bootstrap}\",\"processId\":{processId},\"registryUrl\":\"{registryUrl}\"}}");
        }
    }

    private static int LiveThreads()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.Threads.Count;
    }
}
