using Confluent.Kafka;
using KafkaTyped.IntegrationTests.Infrastructure;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>Independent checks through the plain Confluent.Kafka client.</summary>
public static class RawKafka
{
    /// <summary>Reads every record of a topic (all partitions, from the start) until <paramref name="expected"/> arrived or the timeout passed.</summary>
    public static List<ConsumeResult<byte[], byte[]>> ReadAll(EmbeddedClusterFixture fixture, string topic, int partitions, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(fixture.ConsumerConfig()).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is not null && !record.IsPartitionEOF)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>The group's committed offset per partition (-1001 when none).</summary>
    public static Dictionary<int, long> Committed(EmbeddedClusterFixture fixture, string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(fixture.ConsumerConfig(group)).Build();
        var committed = consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10));
        return committed.ToDictionary(c => c.Partition.Value, c => c.Offset.Value);
    }

    /// <summary>The high watermark per partition.</summary>
    public static Dictionary<int, long> HighWatermarks(EmbeddedClusterFixture fixture, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(fixture.ConsumerConfig()).Build();
        return Enumerable.Range(0, partitions).ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    public static string Header(ConsumeResult<byte[], byte[]> record, string name) =>
        record.Message.Headers.TryGetLastBytes(name, out var value) ? System.Text.Encoding.UTF8.GetString(value) : throw new Xunit.Sdk.XunitException($"header {name} missing");
}
