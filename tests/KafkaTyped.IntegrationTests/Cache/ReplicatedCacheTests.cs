using Confluent.Kafka;
using KafkaTyped.Cache;
using KafkaTyped.IntegrationTests.Infrastructure;
using static KafkaTyped.IntegrationTests.Cache.CacheTestKit;

namespace KafkaTyped.IntegrationTests.Cache;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class ReplicatedCacheTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task Writes_are_visible_to_the_writer_as_soon_as_they_return()
    {
        var topic = fixture.NewTopic("cache-ryw", partitions: 6);
        await using var cache = await StartAsync(fixture, topic);

        for (var i = 0; i < 50; i++)
        {
            await cache.SetAsync($"sku-{i}", Price($"sku-{i}", i));
            Assert.True(cache.TryGet($"sku-{i}", out var value), $"sku-{i} not visible after its write returned");
            Assert.Equal(i, value.Cents);
        }

        Assert.Equal(50, cache.Count);
    }

    [Fact]
    public async Task Three_caches_converge_after_concurrent_writes()
    {
        var topic = fixture.NewTopic("cache-converge", partitions: 6);
        await using var a = await StartAsync(fixture, topic);
        await using var b = await StartAsync(fixture, topic);
        await using var c = await StartAsync(fixture, topic);
        var caches = new[] { a, b, c };

        // Each cache writes the same 30 keys with its own values, concurrently; some are deleted afterwards.
        await Task.WhenAll(caches.Select((cache, n) => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                await cache.SetAsync($"k{i}", Price($"k{i}", (n * 1000) + i));
            }

            for (var i = n; i < 30; i += 7)
            {
                await cache.DeleteAsync($"k{i}");
            }
        })));

        await EventuallyAsync(() => State(a).Count == State(b).Count && State(b).Count == State(c).Count && State(a).OrderBy(e => e.Key).SequenceEqual(State(b).OrderBy(e => e.Key)) && State(b).OrderBy(e => e.Key).SequenceEqual(State(c).OrderBy(e => e.Key)), "the three replicas hold the same entries");
        Assert.NotEmpty(State(a));
    }

    [Fact]
    public async Task Conditional_writes_are_decided_against_the_local_replica()
    {
        var topic = fixture.NewTopic("cache-conditional", partitions: 3);
        await using var cache = await StartAsync(fixture, topic);

        Assert.False(await cache.UpdateAsync("apple", Price("apple", 1)));
        Assert.False(cache.TryGet("apple", out _));
        Assert.True(await cache.AddAsync("apple", Price("apple", 45)));
        Assert.False(await cache.AddAsync("apple", Price("apple", 99)));
        Assert.True(await cache.UpdateAsync("apple", Price("apple", 49)));
        Assert.True(cache.TryGet("apple", out var apple));
        Assert.Equal(49, apple.Cents);
        Assert.False(await cache.DeleteAsync("pear"));
    }

    [Fact]
    public async Task Delete_removes_the_key_everywhere_and_leaves_a_tombstone()
    {
        var topic = fixture.NewTopic("cache-delete", partitions: 1);
        await using var writer = await StartAsync(fixture, topic);
        await using var other = await StartAsync(fixture, topic);

        await writer.SetAsync("plum", Price("plum", 30));
        await EventuallyAsync(() => other.TryGet("plum", out _), "the other replica sees plum");
        Assert.True(await writer.DeleteAsync("plum"));

        Assert.False(writer.TryGet("plum", out _));
        await EventuallyAsync(() => !other.TryGet("plum", out _), "the other replica drops plum");

        var records = ReadAll(topic, 1);
        Assert.Equal(3, records.Count); // Added, Deleted, tombstone
        Assert.Equal(0x00, records[0].Value![5]); // Added = message index [0]
        Assert.Equal(new byte[] { 0x02, 0x04 }, records[1].Value![5..7]); // Deleted = message index [2]
        Assert.Null(records[2].Value);

        Assert.True(await writer.AddAsync("plum", Price("plum", 31)));
        await EventuallyAsync(() => other.TryGet("plum", out var p) && p.Cents == 31, "plum comes back after its delete");
    }

    [Fact]
    public async Task A_new_or_restarted_instance_is_ready_only_with_the_whole_state()
    {
        var topic = fixture.NewTopic("cache-restart", partitions: 6);
        Dictionary<string, long> before;
        await using (var first = await StartAsync(fixture, topic))
        {
            for (var i = 0; i < 200; i++)
            {
                await first.SetAsync($"k{i % 80}", Price($"k{i % 80}", i));
            }

            await first.DeleteAsync("k3");
            before = State(first);
        }

        await using var restarted = await StartAsync(fixture, topic);

        Assert.True(restarted.IsReady);
        Assert.Equal(before.OrderBy(e => e.Key), State(restarted).OrderBy(e => e.Key));
        Assert.Equal(79, restarted.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)] // more readers than partitions: one per partition
    public async Task Any_number_of_readers_rebuilds_the_whole_state_and_applies_live_writes(int readers)
    {
        var topic = fixture.NewTopic($"cache-readers-{readers}", partitions: 6);
        Dictionary<string, long> before;
        await using (var writer = await StartAsync(fixture, topic, readers: 2))
        {
            for (var i = 0; i < 300; i++)
            {
                await writer.SetAsync($"k{i % 120}", Price($"k{i % 120}", i));
            }

            before = State(writer);
        }

        await using var replica = await StartAsync(fixture, topic, readers);
        Assert.Equal(before.OrderBy(e => e.Key), State(replica).OrderBy(e => e.Key));

        // Writes keep arriving on every partition after bootstrap, each read back by its own reader.
        await using var other = await StartAsync(fixture, topic);
        for (var i = 0; i < 30; i++)
        {
            await other.SetAsync($"live{i}", Price($"live{i}", i));
        }

        await EventuallyAsync(() => Enumerable.Range(0, 30).All(i => replica.TryGet($"live{i}", out var p) && p.Cents == i), "every live write reached the replica");
        Assert.Equal(150, replica.Count);
    }

    [Fact]
    public async Task Zero_readers_is_refused_with_the_fix_in_the_message()
    {
        var topic = fixture.NewTopic("cache-no-readers", partitions: 2);
        await using var cache = await CreateAsync(fixture, topic, readers: 0);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.StartAsync());

        Assert.Contains("Readers must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_notifications_report_every_applied_operation()
    {
        var topic = fixture.NewTopic("cache-watch", partitions: 2);
        await using var cache = await StartAsync(fixture, topic);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var changes = new List<CacheChange<string, Price>>();
        var events = 0;
        cache.Changed += _ => Interlocked.Increment(ref events);
        var watching = Task.Run(async () =>
        {
            await foreach (var change in cache.WatchAsync(stop.Token))
            {
                changes.Add(change);
                if (changes.Count == 3)
                {
                    break;
                }
            }
        });
        await Task.Delay(100);

        await cache.SetAsync("fig", Price("fig", 10));
        await cache.SetAsync("fig", Price("fig", 12));
        await cache.DeleteAsync("fig");
        await watching;

        Assert.Equal([CacheOperationKind.Added, CacheOperationKind.Updated, CacheOperationKind.Deleted], changes.Select(c => c.Kind));
        Assert.Equal(12, changes[1].Value!.Cents);
        Assert.Null(changes[2].Value);
        Assert.Equal(3, Volatile.Read(ref events));
    }

    [Fact]
    public async Task Unreadable_records_are_skipped_and_later_ones_still_apply()
    {
        var topic = fixture.NewTopic("cache-poison", partitions: 1);
        await using var cache = await StartAsync(fixture, topic);
        using (var raw = new ProducerBuilder<byte[]?, byte[]>(fixture.ProducerConfig()).Build())
        {
            await raw.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = "bad"u8.ToArray(), Value = [1, 2, 3] });
            await raw.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = "bad2"u8.ToArray(), Value = [0, 0, 0, 0, 1, 0, 0x0A, 0xFF] });
            await raw.ProduceAsync(topic, new Message<byte[]?, byte[]> { Key = null, Value = [0, 0, 0, 0, 1, 0] });
        }

        await cache.SetAsync("good", Price("good", 1));

        Assert.True(cache.TryGet("good", out _));
        Assert.False(cache.TryGet("bad", out _));
        Assert.False(cache.TryGet("bad2", out _));
        Assert.Equal(1, cache.Count);
    }

    private List<Message<byte[]?, byte[]?>> ReadAll(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(fixture.ConsumerConfig()).Build();
        var result = new List<Message<byte[]?, byte[]?>>();
        for (var p = 0; p < partitions; p++)
        {
            var tp = new TopicPartition(topic, p);
            var end = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High.Value;
            consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            while (end > 0)
            {
                var record = consumer.Consume(TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no record");
                result.Add(record.Message);
                if (record.Offset.Value + 1 >= end)
                {
                    break;
                }
            }
        }

        return result;
    }
}
