using System.Buffers.Binary;
using Confluent.Kafka;
using KafkaTyped.IntegrationTests.Infrastructure;

namespace KafkaTyped.IntegrationTests.Embedded;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class ProduceConsumeTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task Ten_thousand_keyed_messages_arrive_through_a_consumer_group_with_per_key_order()
    {
        const int keys = 100;
        const int perKey = 100;
        var topic = fixture.NewTopic("keyed", partitions: 6);

        using (var producer = new ProducerBuilder<string, byte[]>(fixture.ProducerConfig()).Build())
        {
            for (var sequence = 0; sequence < perKey; sequence++)
            {
                for (var key = 0; key < keys; key++)
                {
                    var value = new byte[4];
                    BinaryPrimitives.WriteInt32BigEndian(value, sequence);
                    producer.Produce(topic, new Message<string, byte[]> { Key = $"key-{key}", Value = value });
                }
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var lastSequence = new Dictionary<string, int>(StringComparer.Ordinal);
        var partitionsSeen = new HashSet<int>();
        var received = 0;
        using (var consumer = new ConsumerBuilder<string, byte[]>(fixture.ConsumerConfig()).Build())
        {
            consumer.Subscribe(topic);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (received < keys * perKey && DateTime.UtcNow < deadline)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (record is null)
                {
                    continue;
                }

                received++;
                partitionsSeen.Add(record.Partition.Value);
                var sequence = BinaryPrimitives.ReadInt32BigEndian(record.Message.Value);
                var previous = lastSequence.GetValueOrDefault(record.Message.Key, -1);
                Assert.True(sequence == previous + 1, $"{record.Message.Key}: {sequence} arrived after {previous}");
                lastSequence[record.Message.Key] = sequence;
            }

            consumer.Close();
        }

        Assert.Equal(keys * perKey, received);
        Assert.Equal(keys, lastSequence.Count);
        Assert.All(lastSequence.Values, last => Assert.Equal(perKey - 1, last));
        Assert.True(partitionsSeen.Count > 1, "keys should spread over several partitions");
    }

    [Fact]
    public void Created_topics_have_the_requested_partition_count()
    {
        var topic = fixture.NewTopic("partitions", partitions: 9);
        Assert.False(fixture.Cluster.CreateTopic(topic, 9));

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        Assert.Equal(9, metadata.Topics.Single().Partitions.Count);
        Assert.Equal(3, metadata.Brokers.Count);
    }
}
