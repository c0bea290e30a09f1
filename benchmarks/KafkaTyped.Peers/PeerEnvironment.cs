using System.Buffers.Binary;
using Confluent.Kafka;
using KafkaTyped.Embedded;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.Peers;

/// <summary>
/// The one embedded cluster every framework runs on, the topic layout (a fresh 6-partition topic per run), the keys, and
/// the client settings all three get: idempotent, acks=all, the same linger, and the consumer tuning KafkaTyped applies
/// to its own consumers on the embedded cluster (<c>fetch.queue.backoff.ms=10</c>, <c>fetch.wait.max.ms=10</c>).
/// </summary>
internal sealed class PeerEnvironment(EmbeddedKafkaCluster cluster, int lingerMs)
{
    public const int Partitions = 6;
    public const int KeyCount = 1_000;

    private int topicCounter;

    public string BootstrapServers => cluster.BootstrapServers;

    public int LingerMs => lingerMs;

    /// <summary>4-byte big-endian keys, as KafkaTyped encodes an <c>int</c> key.</summary>
    public byte[][] Keys { get; } = Enumerable.Range(0, KeyCount).Select(i =>
    {
        var key = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(key, i);
        return key;
    }).ToArray();

    /// <summary>
    /// A host builder for the hosted peers (KafkaTyped, Wolverine), without the host's watch for appsettings changes: up
    /// to .NET 10 it watches the content root (the working directory) recursively on Linux, and run from the repository
    /// its thousand watched directories turn every other gen0 collection of a consume run into a gen1
    /// (docs/performance.md, "the host's file watcher"). The raw client has no host, so the hosted peers go without it.
    /// </summary>
    public static HostApplicationBuilder CreateHostBuilder() =>
        Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = ["--hostBuilder:reloadConfigOnChange=false"] });

    public string NewTopic(string prefix)
    {
        var topic = $"{prefix}-{Interlocked.Increment(ref topicCounter)}";
        cluster.CreateTopic(topic, Partitions);
        return topic;
    }

    public ProducerConfig ProducerConfig()
    {
        var config = new ProducerConfig();
        ApplyProducerSettings(config);
        return config;
    }

    /// <summary>The producer settings, applied to the raw client's config and to Wolverine's.</summary>
    public void ApplyProducerSettings(ProducerConfig config)
    {
        config.BootstrapServers = cluster.BootstrapServers;
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        config.LingerMs = lingerMs;
        config.QueueBufferingMaxMessages = 1_000_000;

        // KafkaTyped's producers default to the Java client's partitioner; the others get the same.
        config.Partitioner = Partitioner.Murmur2Random;
        EmbeddedClientTuning.ApplyIfEmbedded(config);
    }

    public ConsumerConfig ConsumerConfig(string group)
    {
        var config = new ConsumerConfig { GroupId = group };
        ApplyConsumerSettings(config);
        return config;
    }

    /// <summary>The consumer settings, applied to the raw client's config and to Wolverine's (its group id is kept).</summary>
    public void ApplyConsumerSettings(ConsumerConfig config)
    {
        config.BootstrapServers = cluster.BootstrapServers;
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        config.Set("fetch.queue.backoff.ms", "10");
        EmbeddedClientTuning.ApplyIfEmbedded(config);
    }

    /// <summary>What the topic holds (all partitions' high watermarks): how Wolverine's deliveries are counted.</summary>
    public long HighWatermarkSum(string topic)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig($"wm-{topic}")).Build();
        long sum = 0;
        for (var p = 0; p < Partitions; p++)
        {
            sum += consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
        }

        return sum;
    }

    /// <summary>Waits until the topic holds <paramref name="count"/> records.</summary>
    public void WaitForRecords(string topic, long count, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerConfig($"wm-{topic}")).Build();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            long sum = 0;
            for (var p = 0; p < Partitions; p++)
            {
                sum += consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
            }

            if (sum >= count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{topic}: {sum} of {count} records after {timeout}");
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Fills a topic with the framed payload through the raw client (keyed over <see cref="KeyCount"/> keys).</summary>
    public void Prefill(string topic, Payload payload, int count)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(ProducerConfig()).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Keys[i % KeyCount], Value = payload.Framed });
        }

        producer.Flush(TimeSpan.FromMinutes(2));
    }
}
