using System.Buffers.Binary;
using Confluent.Kafka;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using KafkaTyped.Framing;

namespace KafkaTyped.IntegrationTests.EndToEnd;

/// <summary>
/// One host built only from generated code: <c>AddKafkaTyped</c> (generated for this assembly) on the embedded default
/// (embedded cluster and embedded Schema Registry), the generated producer, dispatchers and cache.
/// </summary>
public sealed class GeneratedHostFixture : IAsyncLifetime
{
    public IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["KafkaTyped:Embedded:Brokers"] = "1",
        });
        builder.Services.AddSingleton<Inbox>();
        builder.Services.AddKafkaTyped(builder.Configuration);
        Host = builder.Build();
        await Host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

public sealed class GeneratedWiringTests(GeneratedHostFixture fixture) : IClassFixture<GeneratedHostFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IServiceProvider Services => fixture.Host.Services;

    [Fact]
    public async Task Three_message_types_on_one_topic_reach_the_right_generated_handlers_through_registry_framing()
    {
        var producer = Services.GetRequiredService<IOrderFlowProducer>();
        var inbox = Services.GetRequiredService<Inbox>();
        string id = "three-" + Guid.NewGuid().ToString("N");

        await producer.ProduceAsync(new OrderOpened(id, 1250));
        await producer.ProduceAsync(new OrderShipped(id, "parcel-co"));
        var voided = await producer.ProduceAsync(new OrderVoided(id, "changed mind"));

        var billing = await inbox.WaitForAsync(d => d.Handler == nameof(Billing) && Is(d.Message, id), 2, Timeout);
        var shipping = await inbox.WaitForAsync(d => d.Handler == nameof(Shipping) && Is(d.Message, id), 1, Timeout);

        Assert.Equal(2, billing.Length);
        Assert.Equal(new OrderOpened(id, 1250), billing.Select(d => d.Message).OfType<OrderOpened>().Single());
        Assert.Equal(new OrderVoided(id, "changed mind"), billing.Select(d => d.Message).OfType<OrderVoided>().Single());
        Assert.All(billing, d => Assert.Equal("e2e-billing", d.GroupId));
        var shipped = Assert.Single(shipping);
        Assert.Equal(new OrderShipped(id, "parcel-co"), shipped.Message);
        Assert.Equal("e2e-shipping", shipped.GroupId);
        Assert.Equal(OrderFlowSet.Instance.Topic, shipped.Topic);

        // The default framing is the registry's: Confluent's magic byte, a real schema id (not 0), then the index.
        Assert.IsType<SchemaRegistryPayloadCodec>(Services.GetRequiredService<IPayloadCodec>());
        var cluster = Services.GetRequiredService<KafkaCluster>();
        using var raw = new ConsumerBuilder<byte[], byte[]>(cluster.CreateConsumerConfig("e2e-raw-reader")).Build();
        raw.Assign(new TopicPartitionOffset(OrderFlowSet.Instance.Topic, voided.Partition, voided.Offset));
        var record = raw.Consume(Timeout);
        Assert.NotNull(record);
        Assert.Equal(0, record.Message.Value[0]);
        Assert.NotEqual(0, BinaryPrimitives.ReadInt32BigEndian(record.Message.Value.AsSpan(1, 4)));
        Assert.Equal(id, System.Text.Encoding.UTF8.GetString(record.Message.Key));
    }

    /// <summary>Same Java-computed partitions as Producing/TypedProducerTests (6 partitions, murmur2 of the UTF-8 key).</summary>
    [Theory]
    [InlineData("1", 3)]
    [InlineData("12345", 2)]
    [InlineData("order-42", 0)]
    [InlineData("customer-7", 1)]
    [InlineData("ü-key", 5)]
    [InlineData("a-little-bit-long-string", 2)]
    public async Task A_generated_producer_puts_the_key_member_on_the_Java_client_partition(string key, int javaPartition)
    {
        var producer = Services.GetRequiredService<IOrderFlowProducer>();

        var result = await producer.ProduceAsync(new OrderShipped(key, "murmur2"));

        Assert.Equal(javaPartition, result.Partition.Value);
        Assert.Equal(key, result.Message.Key);
    }

    [Fact]
    public async Task The_fire_and_forget_path_reports_delivery_through_the_handler()
    {
        var producer = Services.GetRequiredService<IOrderFlowProducer>();
        var delivered = new TaskCompletionSource<DeliveryReport<string, OrderOpened>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sent = new OrderOpened("fire-" + Guid.NewGuid().ToString("N"), 7);

        producer.Produce(sent, report => delivered.TrySetResult(report));
        var report = await delivered.Task.WaitAsync(Timeout);

        Assert.False(report.Error.IsError, report.Error.Reason);
        Assert.Equal(PersistenceStatus.Persisted, report.Status);
        Assert.Equal(sent.OrderId, report.Message.Key);
        Assert.Same(sent, report.Message.Value);
    }

    [Fact]
    public async Task A_generated_cache_registered_by_AddKafkaTyped_is_written_and_read()
    {
        var cache = Services.GetRequiredService<PriceBoard>();
        using var timeout = new CancellationTokenSource(Timeout);
        await cache.WaitUntilReadyAsync(timeout.Token);

        Assert.True(await cache.AddAsync("apple", new ShelfPrice("apple", 45), timeout.Token));
        await cache.SetAsync("pear", new ShelfPrice("pear", 60), timeout.Token);
        Assert.True(await cache.DeleteAsync("pear", timeout.Token));

        Assert.Equal("e2e-prices", PriceBoard.TopicName);
        Assert.Equal(3, PriceBoard.PartitionCount);
        Assert.Equal(PriceBoard.TopicName, cache.Topic);
        Assert.True(cache.TryGet("apple", out var apple));
        Assert.Equal(new ShelfPrice("apple", 45), apple);
        Assert.False(cache.TryGet("pear", out _));
    }

    [Fact]
    public async Task An_ordinary_handler_in_another_group_receives_the_generated_cache_operations_in_order_per_key()
    {
        var cache = Services.GetRequiredService<PriceBoard>();
        var inbox = Services.GetRequiredService<Inbox>();
        using var timeout = new CancellationTokenSource(Timeout);
        await cache.WaitUntilReadyAsync(timeout.Token);
        string fig = "fig-" + Guid.NewGuid().ToString("N");
        string kiwi = "kiwi-" + Guid.NewGuid().ToString("N");

        Assert.True(await cache.AddAsync(fig, new ShelfPrice("fig", 10), timeout.Token));
        Assert.True(await cache.AddAsync(kiwi, new ShelfPrice("kiwi", 30), timeout.Token));
        Assert.True(await cache.UpdateAsync(fig, new ShelfPrice("fig", 12), timeout.Token));
        Assert.True(await cache.DeleteAsync(fig, timeout.Token)); // Deleted, then a tombstone
        Assert.True(await cache.AddAsync(fig, new ShelfPrice("fig", 14), timeout.Token)); // after the tombstone: the group went on
        Assert.True(await cache.DeleteAsync(kiwi, timeout.Token));

        var figs = await inbox.WaitForAsync(d => d.Handler == nameof(PriceBoardAudit) && KeyOf(d.Message) == fig, 4, Timeout);
        var kiwis = await inbox.WaitForAsync(d => d.Handler == nameof(PriceBoardAudit) && KeyOf(d.Message) == kiwi, 2, Timeout);

        Assert.Equal(
            [new PriceBoard.Added(fig, new ShelfPrice("fig", 10)), new PriceBoard.Updated(fig, new ShelfPrice("fig", 12)), new PriceBoard.Deleted(fig), new PriceBoard.Added(fig, new ShelfPrice("fig", 14))],
            figs.Select(d => d.Message));
        Assert.Equal([new PriceBoard.Added(kiwi, new ShelfPrice("kiwi", 30)), new PriceBoard.Deleted(kiwi)], kiwis.Select(d => d.Message));
        Assert.All(figs.Concat(kiwis), d =>
        {
            Assert.Equal("e2e-price-audit", d.GroupId);
            Assert.Equal(PriceBoard.TopicName, d.Topic);
        });

        // The tombstones were skipped, not dead-lettered.
        var cluster = Services.GetRequiredService<KafkaCluster>();
        using var raw = new ConsumerBuilder<byte[], byte[]>(cluster.CreateConsumerConfig("e2e-dlq-probe")).Build();
        foreach (var partition in Enumerable.Range(0, PriceBoard.PartitionCount))
        {
            var dlq = raw.QueryWatermarkOffsets(new TopicPartition(PriceBoard.TopicName + ".dlq", partition), Timeout);
            Assert.Equal(0, dlq.High.Value);
        }

        // The cache and the audit group registered one schema: a single version under the topic's subject.
        var registry = await Services.GetRequiredService<KafkaTyped.SchemaRegistry.SchemaRegistryProvider>().GetRegistryAsync(timeout.Token);
        Assert.Equal([1], await registry.GetVersionsAsync(PriceBoard.TopicName + "-value", timeout.Token));
    }

    [Fact]
    public async Task A_topic_reader_over_the_generated_set_reads_typed_messages_with_the_generated_parsers()
    {
        // No hand-written parser anywhere: the reader asks the generated OrderFlowSet (ParserOf) for each record's member.
        var producer = Services.GetRequiredService<IOrderFlowProducer>();
        string id = "read-" + Guid.NewGuid().ToString("N");
        var opened = await producer.ProduceAsync(new OrderOpened(id, 990));
        var shipped = await producer.ProduceAsync(new OrderShipped(id, "rail-co"));
        var voided = await producer.ProduceAsync(new OrderVoided(id, "duplicate"));

        var reader = Services.GetRequiredService<TopicReader>();
        using var timeout = new CancellationTokenSource(Timeout);
        var all = new List<TopicRecord<IOrderFlow>>();
        await foreach (var record in reader.ReadAsync<IOrderFlow>(OrderFlowSet.Instance, ReadStart.Beginning, new TopicReadOptions { StopAtEnd = true }, timeout.Token))
        {
            if (Is(record.Message, id))
            {
                all.Add(record);
            }
        }

        // One key, one partition: the three members in the order they were written, at the offsets the producer got.
        Assert.Equal([new OrderOpened(id, 990), new OrderShipped(id, "rail-co"), new OrderVoided(id, "duplicate")], all.Select(r => (object)r.Message));
        Assert.Equal([opened.Offset.Value, shipped.Offset.Value, voided.Offset.Value], all.Select(r => r.Context.Offset));
        Assert.All(all, r =>
        {
            Assert.Equal(opened.Partition.Value, r.Context.Partition);
            Assert.Equal(OrderFlowSet.Instance.Topic, r.Context.Topic);
            Assert.Equal(id, System.Text.Encoding.UTF8.GetString(r.Context.Key.Span));
            Assert.Null(r.Context.GroupId);
        });

        // Asking for one member type gives only that member.
        var onlyShipped = new List<OrderShipped>();
        await foreach (var record in reader.ReadAsync<OrderShipped>(OrderFlowSet.Instance, ReadStart.AtOffset(shipped.Offset.Value), new TopicReadOptions { Partitions = [shipped.Partition.Value], StopAtEnd = true }, timeout.Token))
        {
            if (record.Message.OrderId == id)
            {
                onlyShipped.Add(record.Message);
            }
        }

        Assert.Equal([new OrderShipped(id, "rail-co")], onlyShipped);
    }

    private static string? KeyOf(object message) => message switch
    {
        PriceBoard.Added m => m.Key,
        PriceBoard.Updated m => m.Key,
        PriceBoard.Deleted m => m.Key,
        _ => null,
    };

    private static bool Is(object message, string id) => message switch
    {
        OrderOpened m => m.OrderId == id,
        OrderShipped m => m.OrderId == id,
        OrderVoided m => m.OrderId == id,
        _ => false,
    };
}
