using Confluent.Kafka;
using KafkaTyped.IntegrationTests.Infrastructure;
using static KafkaTyped.IntegrationTests.Cache.CacheTestKit;

namespace KafkaTyped.IntegrationTests.Cache;

/// <summary>
/// The state after replaying the full log equals the state after replaying only the last record per key (what
/// compaction keeps). The embedded cluster never compacts, so the test compacts by hand into a second topic.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class CompactionEquivalenceTests(EmbeddedClusterFixture fixture)
{
    [Theory]
    [InlineData(11)]
    [InlineData(23)]
    [InlineData(47)]
    public async Task Replaying_the_compacted_log_gives_the_same_state_as_the_full_log(int seed)
    {
        var random = new Random(seed);
        var full = fixture.NewTopic("cache-full", partitions: 3);
        await using (var writer = await StartAsync(fixture, full))
        {
            for (var op = 0; op < 150; op++)
            {
                var key = $"k{random.Next(20)}";
                switch (random.Next(4))
                {
                    case 0: await writer.AddAsync(key, Price(key, op)); break;
                    case 1: await writer.UpdateAsync(key, Price(key, op)); break;
                    case 2: await writer.SetAsync(key, Price(key, op)); break;
                    default: await writer.DeleteAsync(key); break;
                }
            }
        }

        var compacted = fixture.NewTopic("cache-compacted", partitions: 3);
        CopyLastRecordPerKey(full, compacted, partitions: 3);

        await using var fromFull = await StartAsync(fixture, full);
        await using var fromCompacted = await StartAsync(fixture, compacted);
        Assert.Equal(State(fromFull).OrderBy(e => e.Key), State(fromCompacted).OrderBy(e => e.Key));
    }

    private void CopyLastRecordPerKey(string from, string to, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]?>(fixture.ConsumerConfig()).Build();
        using var producer = new ProducerBuilder<byte[], byte[]?>(fixture.ProducerConfig()).Build();
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(from, p);
            var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            var last = new Dictionary<string, (long Offset, Message<byte[], byte[]?> Message)>(StringComparer.Ordinal);
            consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            while (end > 0)
            {
                var record = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no record");
                last[Convert.ToHexString(record.Message.Key)] = (record.Offset.Value, record.Message);
                if (record.Offset.Value + 1 >= end)
                {
                    break;
                }
            }

            // Compaction keeps the surviving records in offset order, on the same partition.
            foreach (var (_, message) in last.Values.OrderBy(r => r.Offset))
            {
                producer.Produce(new TopicPartition(to, p), message);
            }
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
    }
}
