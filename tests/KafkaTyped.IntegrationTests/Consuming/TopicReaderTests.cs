using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>Reading a set's typed messages without a group: from the beginning, an offset or a time; chosen partitions.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class TopicReaderTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task From_the_beginning_to_the_end_every_message_comes_typed_in_partition_order_and_nothing_is_committed()
    {
        var scenario = TestHosts.NewScenario(fixture, "reader-all", partitions: 3);
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var written = new List<(int Partition, long Offset, IMessage Message)>();
        for (var i = 0; i < 30; i++)
        {
            if (i % 3 == 0)
            {
                var r = await producer.ProduceAsync(new StringValue { Value = $"text-{i}" }, $"key-{i}");
                written.Add((r.Partition.Value, r.Offset.Value, r.Message.Value));
            }
            else
            {
                var r = await producer.ProduceAsync(new Int64Value { Value = i }, $"key-{i}");
                written.Add((r.Partition.Value, r.Offset.Value, r.Message.Value));
            }
        }

        var reader = host.Services.GetRequiredService<TopicReader>();
        var read = new List<TopicRecord<IMessage>>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var record in reader.ReadAsync<IMessage>(scenario.Set, ReadStart.Beginning, new TopicReadOptions { StopAtEnd = true }, timeout.Token))
        {
            read.Add(record);
        }

        Assert.Equal(written.OrderBy(w => w.Partition).ThenBy(w => w.Offset).Select(w => (w.Partition, w.Offset, w.Message)),
            read.OrderBy(r => r.Context.Partition).ThenBy(r => r.Context.Offset).Select(r => (r.Context.Partition, r.Context.Offset, r.Message)));
        foreach (var partition in read.GroupBy(r => r.Context.Partition))
        {
            Assert.Equal(partition.Select(r => r.Context.Offset).Order(), partition.Select(r => r.Context.Offset)); // in order
        }

        Assert.All(read, r => Assert.Null(r.Context.GroupId));

        // Asking for one member type skips the others.
        var numbers = new List<long>();
        await foreach (var record in reader.ReadAsync<Int64Value>(scenario.Set, ReadStart.Beginning, new TopicReadOptions { StopAtEnd = true }, timeout.Token))
        {
            numbers.Add(record.Message.Value);
        }

        Assert.Equal(written.Where(w => w.Message is Int64Value).Select(w => ((Int64Value)w.Message).Value).Order(), numbers.Order());
    }

    [Fact]
    public async Task A_chosen_partition_from_an_offset_or_from_a_time_gives_only_what_follows()
    {
        var scenario = TestHosts.NewScenario(fixture, "reader-from", partitions: 1);
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = 0; i < 10; i++)
        {
            await producer.ProduceAsync(new Int64Value { Value = i }, "k");
        }

        var boundary = DateTimeOffset.UtcNow.AddMilliseconds(5);
        await Task.Delay(20); // record timestamps have millisecond resolution: the next ones are clearly after the boundary
        for (var i = 10; i < 15; i++)
        {
            await producer.ProduceAsync(new Int64Value { Value = i }, "k", timestamp: new Confluent.Kafka.Timestamp(DateTimeOffset.UtcNow));
        }

        var reader = host.Services.GetRequiredService<TopicReader>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var fromOffset = new List<long>();
        await foreach (var record in reader.ReadAsync<Int64Value>(scenario.Set, ReadStart.AtOffset(7), new TopicReadOptions { Partitions = [0], StopAtEnd = true }, timeout.Token))
        {
            fromOffset.Add(record.Message.Value);
        }

        var fromTime = new List<long>();
        await foreach (var record in reader.ReadAsync<Int64Value>(scenario.Set, ReadStart.AtTime(boundary), new TopicReadOptions { StopAtEnd = true }, timeout.Token))
        {
            fromTime.Add(record.Message.Value);
        }

        Assert.Equal(Enumerable.Range(7, 8).Select(i => (long)i), fromOffset);
        Assert.Equal(Enumerable.Range(10, 5).Select(i => (long)i), fromTime);
    }

    [Fact]
    public async Task An_unreadable_record_ends_the_read_with_its_coordinates_or_is_skipped_when_asked()
    {
        var scenario = TestHosts.NewScenario(fixture, "reader-bad", partitions: 1);
        using var host = TestHosts.Build(fixture, scenario, consumer: false);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        await producer.ProduceAsync(new Int64Value { Value = 1 }, "k");
        using (var raw = new ProducerBuilder<byte[], byte[]>(fixture.ProducerConfig()).Build())
        {
            await raw.ProduceAsync(scenario.Set.Topic, new Message<byte[], byte[]> { Key = "k"u8.ToArray(), Value = "not framed"u8.ToArray() });
        }

        await producer.ProduceAsync(new Int64Value { Value = 3 }, "k");
        var reader = host.Services.GetRequiredService<TopicReader>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var error = await Assert.ThrowsAsync<MessageDeserializationException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync<Int64Value>(scenario.Set, ReadStart.Beginning, new TopicReadOptions { StopAtEnd = true }, timeout.Token))
            {
            }
        });
        Assert.Equal((scenario.Set.Topic, 0, 1L), (error.Topic, error.Partition, error.Offset));

        var values = new List<long>();
        await foreach (var record in reader.ReadAsync<Int64Value>(scenario.Set, ReadStart.Beginning, new TopicReadOptions { StopAtEnd = true, SkipUnreadable = true }, timeout.Token))
        {
            values.Add(record.Message.Value);
        }

        Assert.Equal([1L, 3L], values);
    }
}
