using Confluent.Kafka;
using KafkaTyped.Embedded;
using KafkaTyped.IntegrationTests.Infrastructure;

namespace KafkaTyped.IntegrationTests.Embedded;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class FaultInjectionTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task Producer_delivers_everything_once_the_downed_broker_is_back()
    {
        // A cluster of its own: taking brokers down must not disturb the other tests of the collection.
        using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 3);
        cluster.CreateTopic("outage", partitions: 3);
        var config = new ProducerConfig { BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All, MessageTimeoutMs = 60_000 };

        const int count = 300;
        var delivered = 0;
        var failed = 0;
        using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            await producer.ProduceAsync("outage", new Message<string, string> { Key = "warm-up", Value = "v" });

            cluster.SetBrokerDown(-1);
            for (var i = 0; i < count; i++)
            {
                producer.Produce("outage", new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    else
                    {
                        Interlocked.Increment(ref delivered);
                    }
                });
            }

            producer.Poll(TimeSpan.FromSeconds(1));
            Assert.Equal(0, Volatile.Read(ref delivered));

            cluster.SetBrokerUp(-1);
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        }

        Assert.Equal(0, failed);
        Assert.Equal(count, delivered);
        Assert.Equal(count + 1, CountRecords(cluster, "outage", 3));
    }

    [Fact]
    public async Task Injected_request_errors_are_retried_by_the_producer()
    {
        var topic = fixture.NewTopic("request-errors", partitions: 1);
        using var producer = new ProducerBuilder<string, string>(fixture.ProducerConfig()).Build();
        await producer.ProduceAsync(topic, new Message<string, string> { Key = "a", Value = "first" });

        fixture.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas);
        var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = "a", Value = "second" });

        Assert.Equal(PersistenceStatus.Persisted, result.Status);
        Assert.Equal(1, result.Offset.Value);
    }

    [Fact]
    public async Task Round_trip_time_delays_responses()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokerCount: 1);
        cluster.CreateTopic("slow", partitions: 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, LingerMs = 0 }).Build();
        await producer.ProduceAsync("slow", new Message<Null, string> { Value = "warm-up" });

        cluster.SetRoundTripTime(1, TimeSpan.FromMilliseconds(300));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await producer.ProduceAsync("slow", new Message<Null, string> { Value = "delayed" });

        Assert.True(started.ElapsedMilliseconds >= 250, $"took {started.ElapsedMilliseconds} ms");
    }

    private static int CountRecords(EmbeddedKafkaCluster cluster, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "count" }).Build();
        var total = 0L;
        for (var p = 0; p < partitions; p++)
        {
            var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10));
            total += watermarks.High.Value - watermarks.Low.Value;
        }

        return (int)total;
    }
}
