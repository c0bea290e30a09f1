using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.IntegrationTests.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.IntegrationTests.Producing;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class TypedProducerTests(EmbeddedClusterFixture fixture)
{
    /// <summary>
    /// Java client partitions for 6 partitions: <c>toPositive(Utils.murmur2(key.getBytes(UTF_8))) % 6</c>, computed with
    /// a Java implementation of Kafka's murmur2 that reproduces the published vectors ("1" → -1993445489,
    /// "12345" → -1188365604, "a-little-bit-long-string" → -985981536).
    /// </summary>
    public static TheoryData<string, int> JavaPartitions => new()
    {
        { "1", 3 }, { "12", 4 }, { "123", 5 }, { "1234", 0 }, { "12345", 2 }, { "order-1", 4 }, { "order-42", 0 },
        { "customer-7", 1 }, { "kafka", 4 }, { "ü-key", 5 }, { "a-little-bit-long-string", 2 },
    };

    [Theory]
    [MemberData(nameof(JavaPartitions))]
    public async Task A_key_lands_on_the_partition_the_Java_client_chooses(string key, int javaPartition)
    {
        var scenario = TestHosts.NewScenario(fixture, "murmur2");
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        var result = await producer.ProduceAsync(new StringValue { Value = key }, key);

        Assert.Equal(javaPartition, result.Partition.Value);
    }

    [Fact]
    public async Task The_producer_is_idempotent_with_acks_all_and_the_murmur2_partitioner_by_default()
    {
        var scenario = TestHosts.NewScenario(fixture, "defaults");
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        await host.Services.GetRequiredService<TestEventsProducer>().ProduceAsync(new StringValue { Value = "x" }, "k");

        var config = host.Services.GetRequiredService<KafkaProducerConnection>().Config!;
        Assert.True(config.EnableIdempotence);
        Assert.Equal(Acks.All, config.Acks);
        Assert.Equal(Partitioner.Murmur2Random, config.Partitioner);
    }

    [Fact]
    public async Task Fire_and_forget_reports_every_delivery_to_a_cached_handler()
    {
        const int count = 2_000;
        var scenario = TestHosts.NewScenario(fixture, "fire-forget");
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var delivered = 0;
        var failed = 0;
        var mismatched = 0;
        Action<DeliveryReport<string, Int64Value>> onDelivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
            else
            {
                Interlocked.Increment(ref delivered);
            }

            // The report carries the typed key and the very message object that was sent, never reused buffers.
            if (report.Message.Key != $"k{report.Message.Value.Value % 50}")
            {
                Interlocked.Increment(ref mismatched);
            }
        };

        for (var i = 0; i < count; i++)
        {
            producer.Produce(new Int64Value { Value = i }, $"k{i % 50}", onDelivered);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        Assert.Equal(count, Volatile.Read(ref delivered));
        Assert.Equal(0, Volatile.Read(ref failed));
        Assert.Equal(0, Volatile.Read(ref mismatched));
        Assert.Equal(count, RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 6).Values.Sum());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Headers_timestamp_and_the_framed_value_reach_the_broker()
    {
        var scenario = TestHosts.NewScenario(fixture, "headers");
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var timestamp = new Confluent.Kafka.Timestamp(new DateTime(2023, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var message = new Int64Value { Value = 1234567 };

        await producer.ProduceAsync(message, "h", new Headers { { "tenant", Encoding.UTF8.GetBytes("acme") } }, timestamp);

        var record = Assert.Single(RawKafka.ReadAll(fixture, scenario.Set.Topic, 6, 1, TimeSpan.FromSeconds(20)));
        Assert.Equal("acme", RawKafka.Header(record, "tenant"));
        Assert.Equal(timestamp.UnixTimestampMs, record.Message.Timestamp.UnixTimestampMs);
        Assert.Equal("h", Encoding.UTF8.GetString(record.Message.Key));

        // Confluent framing: magic 0, schema id 0 (no registry yet), message indexes [1] as zigzag varints, then Protobuf.
        byte[] expected = [0, 0, 0, 0, 0, 2, 2, .. message.ToByteArray()];
        Assert.Equal(expected, record.Message.Value);
    }

    [Fact]
    public async Task Reused_key_and_value_buffers_put_the_right_bytes_on_the_topic_from_concurrent_threads()
    {
        // Keys and values are written into reused per-thread arrays that librdkafka copies, with or without a delivery
        // handler; several threads producing messages of colliding lengths must still put exactly their own bytes on the topic.
        const int threads = 4;
        const int perThread = 1_500;
        var scenario = TestHosts.NewScenario(fixture, "reused-values");
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var expected = new HashSet<string>();
        for (var t = 0; t < threads; t++)
        {
            for (var i = 0; i < perThread; i++)
            {
                expected.Add(ValueFor(t, i));
            }
        }

        var reported = 0;
        Action<DeliveryReport<string, StringValue>> onDelivered = report =>
        {
            if (!report.Error.IsError && report.Message.Key == report.Message.Value.Value)
            {
                Interlocked.Increment(ref reported);
            }
        };
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < perThread; i++)
            {
                var text = ValueFor(t, i);
                if (t % 2 == 0)
                {
                    producer.Produce(new StringValue { Value = text }, text);
                }
                else
                {
                    producer.Produce(new StringValue { Value = text }, text, onDelivered);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await Task.WhenAll(workers);
        producer.Flush(TimeSpan.FromSeconds(30));

        var records = RawKafka.ReadAll(fixture, scenario.Set.Topic, 6, threads * perThread, TimeSpan.FromSeconds(60));
        Assert.Equal(threads * perThread, records.Count);
        var seen = new HashSet<string>();
        foreach (var record in records)
        {
            var key = Encoding.UTF8.GetString(record.Message.Key);
            byte[] framed = [0, 0, 0, 0, 0, 0, .. new StringValue { Value = key }.ToByteArray()];
            Assert.Equal(framed, record.Message.Value);
            Assert.True(seen.Add(key), $"duplicate record {key}");
        }

        Assert.True(expected.SetEquals(seen));
        Assert.Equal(threads / 2 * perThread, Volatile.Read(ref reported));

        // Lengths vary from 9 to 40 bytes so that threads share lengths and lengths share cache slots.
        static string ValueFor(int thread, int index) => $"t{thread}-{index}-" + new string('x', index % 29);
    }
}
