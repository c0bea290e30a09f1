using System.Text;
using Confluent.Kafka;
using KafkaTyped.Hosting;
using KafkaTyped.IntegrationTests.Producing;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaTyped.IntegrationTests.Pipeline;

/// <summary>
/// Per-topic acknowledgements and partitioners (seed 003) from <c>[Topic]</c> and <c>KafkaTyped:Topics</c>, through
/// generated producers on the embedded cluster, and start-up validation naming the key.
/// </summary>
public sealed class ProducerOptionsTests(PipelineHostFixture fixture) : IClassFixture<PipelineHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Keys = [.. Enumerable.Range(0, 40).Select(i => $"key-{i}"), "1", "12345", "order-42", "ü-key", "a-little-bit-long-string"];

    private IServiceProvider Services => fixture.Host.Services;

    private KafkaProducerConnection Connection => Services.GetRequiredService<KafkaProducerConnection>();

    [Fact]
    public void The_reference_murmur2_reproduces_the_Java_clients_published_vectors()
    {
        Assert.Equal(-1993445489, ReferencePartitioners.JavaMurmur2(Encoding.UTF8.GetBytes("1")));
        Assert.Equal(-1188365604, ReferencePartitioners.JavaMurmur2(Encoding.UTF8.GetBytes("12345")));
        Assert.Equal(-985981536, ReferencePartitioners.JavaMurmur2(Encoding.UTF8.GetBytes("a-little-bit-long-string")));
        foreach (var (key, partition) in TypedProducerTests.JavaPartitions.Select(row => ((string)row[0], (int)row[1])))
        {
            Assert.Equal(partition, ReferencePartitioners.Murmur2Partition(key, 6));
        }
    }

    [Fact]
    public async Task Murmur2_puts_every_key_where_the_Java_client_does()
    {
        var producer = Services.GetRequiredService<IMurmur2EventsProducer>();
        foreach (var key in Keys)
        {
            var result = await producer.ProduceAsync(new Murmur2Keyed(key));
            Assert.Equal(ReferencePartitioners.Murmur2Partition(key, 6), result.Partition.Value);
        }

        foreach (var (key, partition) in TypedProducerTests.JavaPartitions.Select(row => ((string)row[0], (int)row[1])))
        {
            Assert.Equal(partition, (await producer.ProduceAsync(new Murmur2Keyed(key))).Partition.Value);
        }
    }

    [Fact]
    public async Task Consistent_random_puts_every_key_where_librdkafkas_default_does()
    {
        var producer = Services.GetRequiredService<IConsistentEventsProducer>();
        Assert.Equal(Partitioner.ConsistentRandom, Connection.ProfileOf("pipeline-consistent").Partitioner);
        var differsFromJava = 0;
        foreach (var key in Keys)
        {
            var result = await producer.ProduceAsync(new ConsistentKeyed(key));
            Assert.Equal(ReferencePartitioners.Crc32Partition(key, 6), result.Partition.Value);
            differsFromJava += result.Partition.Value == ReferencePartitioners.Murmur2Partition(key, 6) ? 0 : 1;
        }

        // The two placements really differ, so the assertions above tell the partitioners apart.
        Assert.True(differsFromJava > 0);
    }

    [Fact]
    public async Task Random_ignores_the_key()
    {
        var producer = Services.GetRequiredService<IRandomEventsProducer>();
        var partitions = new HashSet<int>();
        for (var i = 0; i < 64; i++)
        {
            var result = await producer.ProduceAsync(new RandomKeyed("same-key"));
            Assert.InRange(result.Partition.Value, 0, 5);
            partitions.Add(result.Partition.Value);
        }

        // One key on one of six partitions 64 times in a row would happen with probability 6^-63.
        Assert.True(partitions.Count > 1, $"all 64 records of one key went to partition {string.Join(", ", partitions)}");
    }

    [Fact]
    public async Task Configuration_wins_over_the_attribute()
    {
        Assert.Equal(Partitioner.Murmur2Random, Connection.ProfileOf("pipeline-override").Partitioner);
        var producer = Services.GetRequiredService<IOverrideEventsProducer>();
        foreach (var key in Keys)
        {
            Assert.Equal(ReferencePartitioners.Murmur2Partition(key, 6), (await producer.ProduceAsync(new OverrideKeyed(key))).Partition.Value);
        }
    }

    [Fact]
    public async Task Acks_none_leader_and_all_each_deliver_every_record()
    {
        const int Count = 30;
        var run = Guid.NewGuid().ToString("N");
        var none = Services.GetRequiredService<IAcksNoneEventsProducer>();
        var leader = Services.GetRequiredService<IAcksLeaderEventsProducer>();
        var all = Services.GetRequiredService<IAcksAllEventsProducer>();
        for (var i = 0; i < Count; i++)
        {
            await none.ProduceAsync(new AcksNoneReading($"{run}-{i}", i));
            await leader.ProduceAsync(new AcksLeaderReading($"{run}-{i}", i));
            await all.ProduceAsync(new AcksAllReading($"{run}-{i}", i));
        }

        Assert.Equal(new ProducerProfile(Acks.None, Partitioner.Murmur2Random, Idempotence: false), Connection.ProfileOf("pipeline-acks-none"));
        Assert.Equal(new ProducerProfile(Acks.Leader, Partitioner.Murmur2Random, Idempotence: false), Connection.ProfileOf("pipeline-acks-leader"));
        Assert.Equal(new ProducerProfile(Acks.All, Partitioner.Murmur2Random, Idempotence: true), Connection.ProfileOf("pipeline-acks-all"));
        Assert.Equal(Acks.None, Connection.ConfigFor("pipeline-acks-none")!.Acks);
        Assert.Equal(Acks.Leader, Connection.ConfigFor("pipeline-acks-leader")!.Acks);
        Assert.Equal(Acks.All, Connection.ConfigFor("pipeline-acks-all")!.Acks);
        Assert.True(Connection.ConfigFor("pipeline-acks-all")!.EnableIdempotence);

        var expected = Enumerable.Range(0, Count).Select(i => $"{run}-{i}").Order(StringComparer.Ordinal).ToArray();
        foreach (var topic in new[] { "pipeline-acks-none", "pipeline-acks-leader", "pipeline-acks-all" })
        {
            var keys = await ReadKeysAsync(topic, run + "-", Count);
            Assert.Equal(expected, keys.Order(StringComparer.Ordinal).ToArray());
        }
    }

    [Theory]
    [InlineData("KafkaTyped:Topics:pipeline-acks-leader:Acks", "maybe", "KafkaTyped:Topics:pipeline-acks-leader:Acks = 'maybe'", "use none (or 0), leader (or 1) or all (or -1)")]
    [InlineData("KafkaTyped:Topics:pipeline-random:Partitioner", "fnv1a", "KafkaTyped:Topics:pipeline-random:Partitioner = 'fnv1a'", "use murmur2")]
    [InlineData("KafkaTyped:Topics:pipeline-acks-none:EnableIdempotence", "yes", "KafkaTyped:Topics:pipeline-acks-none:EnableIdempotence = 'yes'", "use true or false")]
    [InlineData("KafkaTyped:Topics:pipeline-acks-leader:EnableIdempotence", "true", "[Topic(\"pipeline-acks-leader\", Acks = TopicAcks.Leader)]", "set KafkaTyped:Topics:pipeline-acks-leader:EnableIdempotence to false")]
    [InlineData("KafkaTyped:ProducerSettings:enable.idempotence", "true", "KafkaTyped:ProducerSettings:enable.idempotence = 'true'", "idempotence needs acks=all")]
    [InlineData("KafkaTyped:Topics:pipeline-acks-all:Acks", "1", "KafkaTyped:Topics:pipeline-acks-all:Acks = '1'", "[Topic(\"pipeline-acks-all\", EnableIdempotence = true)]")]
    public async Task A_misconfigured_topic_stops_the_host_at_start_naming_the_key_and_the_fix(string key, string value, string named, string fix)
    {
        using var host = PipelineHost.Build(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(fix, error.Message, StringComparison.Ordinal);
    }

    private async Task<List<string>> ReadKeysAsync(string topic, string prefix, int count)
    {
        var cluster = Services.GetRequiredService<KafkaCluster>();
        var config = cluster.CreateConsumerConfig("pipeline-acks-reader-" + Guid.NewGuid().ToString("N"));
        config.AutoOffsetReset = AutoOffsetReset.Earliest;
        using var reader = new ConsumerBuilder<byte[], byte[]>(config).Build();
        reader.Subscribe(topic);
        var keys = new List<string>();
        var deadline = DateTime.UtcNow + Timeout;
        try
        {
            while (keys.Count < count && DateTime.UtcNow < deadline)
            {
                var record = await Task.Run(() => reader.Consume(TimeSpan.FromMilliseconds(500)));
                if (record?.Message?.Key is { } k && Encoding.UTF8.GetString(k) is var text && text.StartsWith(prefix, StringComparison.Ordinal))
                {
                    keys.Add(text);
                }
            }

            return keys;
        }
        finally
        {
            reader.Close();
        }
    }
}
