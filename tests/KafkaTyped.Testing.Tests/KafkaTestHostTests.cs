using KafkaTyped.Consuming;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Testing.Tests;

/// <summary>One application host (and embedded cluster) shared by the tests of the class, as users are told to do.</summary>
public sealed class ShopHost : IAsyncLifetime
{
    public KafkaTestHost Kafka { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Kafka = await KafkaTestHost.StartAsync(builder =>
        {
            builder.Services.AddSingleton<Ledger>();
            builder.Services.AddKafkaTyped(builder.Configuration);
        });

    public async Task DisposeAsync() => await Kafka.DisposeAsync();
}

public sealed class KafkaTestHostTests(ShopHost shop) : IClassFixture<ShopHost>
{
    private KafkaTestHost Kafka => shop.Kafka;

    private static string NewId() => "order-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_produced_message_is_awaited_until_its_group_handled_it()
    {
        var id = NewId();

        var sent = await Kafka.GetRequiredService<IShopEventsProducer>().ProduceAsync(new OrderPlaced(id, 1250));
        await Kafka.WaitUntilHandledAsync("testing-billing", sent);

        Assert.Equal(1250, Kafka.GetRequiredService<Ledger>().Billed[id]);
        var outcome = await Kafka.WaitUntilProcessedAsync("testing-billing", sent.TopicPartitionOffset);
        Assert.True(outcome.Handled, outcome.ToString());
    }

    [Fact]
    public async Task A_message_the_application_produced_itself_is_found_and_awaited_until_handled()
    {
        var id = NewId();

        await Kafka.GetRequiredService<IShopEventsProducer>().ProduceAsync(new OrderPlaced(id, 990));
        var billed = await Kafka.WaitUntilHandledAsync<OrderBilled>("testing-reports", ShopEventsSet.Instance, m => m.OrderId == id);

        Assert.Equal(new OrderBilled(id, 990), billed.Message);
        Assert.Equal(id, billed.Key);
        Assert.Equal(ShopEventsSet.Instance.Topic, billed.Position.Topic);
        Assert.Equal(990, Kafka.GetRequiredService<Ledger>().Reported[id]);
    }

    [Fact]
    public async Task A_failing_message_lands_in_the_dead_letter_topic_with_its_error_and_the_original_message()
    {
        var id = NewId();

        var sent = await Kafka.GetRequiredService<IShopEventsProducer>().ProduceAsync(new OrderPlaced(id, -5));
        var deadLetter = await Kafka.WaitForDeadLetterAsync(ShopEventsSet.Instance, d => d.Key == id);

        Assert.Equal(new OrderPlaced(id, -5), deadLetter.Message);
        Assert.Equal(sent.TopicPartitionOffset, deadLetter.OriginalPosition);
        Assert.Equal("testing-billing", deadLetter.GroupId);
        Assert.Equal(typeof(NonRetryableException).FullName, deadLetter.ExceptionType);
        Assert.Contains("negative amount", deadLetter.ExceptionMessage, StringComparison.Ordinal);
        Assert.Equal("testing-shop.dlq", deadLetter.Position.Topic);

        var outcome = await Kafka.WaitUntilProcessedAsync("testing-billing", sent.TopicPartitionOffset);
        Assert.False(outcome.Handled);
        Assert.Equal(deadLetter.Position, outcome.DeadLetter!.Position);
        Assert.Equal(new OrderPlaced(id, -5), outcome.DeadLetter.Message);

        // Awaiting it as handled fails, quoting the error.
        var error = await Assert.ThrowsAsync<KafkaTestException>(() => Kafka.WaitUntilHandledAsync("testing-billing", sent));
        Assert.Contains("dead-lettered", error.Message, StringComparison.Ordinal);
        Assert.Contains("negative amount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_that_never_comes_fails_with_a_timeout_that_says_what_was_read()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Kafka.WaitForMessageAsync<OrderBilled>(ShopEventsSet.Instance, m => m.OrderId == "never", TimeSpan.FromSeconds(2)));

        Assert.Contains("no OrderBilled matching the condition arrived in topic 'testing-shop'", error.Message, StringComparison.Ordinal);
        Assert.Contains("record(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Awaiting_a_group_the_application_does_not_run_fails_with_a_timeout_naming_the_groups_it_runs()
    {
        var sent = await Kafka.GetRequiredService<IShopEventsProducer>().ProduceAsync(new OrderPlaced(NewId(), 1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Kafka.WaitUntilHandledAsync("no-such-group", sent, TimeSpan.FromSeconds(2)));

        Assert.Contains("consumer group 'no-such-group' did not handle testing-shop[", error.Message, StringComparison.Ordinal);
        Assert.Contains("this application runs no consumer group 'no-such-group'", error.Message, StringComparison.Ordinal);
        Assert.Contains("testing-billing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_host_starts_ready_with_its_cache_caught_up_on_its_own_embedded_cluster()
    {
        var cache = Kafka.GetRequiredService<StockCache>();

        Assert.True(cache.IsReady);
        Assert.NotNull(Kafka.SchemaRegistryUrl);
        Assert.StartsWith("127.0.0.1:", Kafka.BootstrapServers, StringComparison.Ordinal);
        await cache.SetAsync("sku-1", new Stock("sku-1", 3));
        Assert.True(cache.TryGet("sku-1", out var stock));
        Assert.Equal(3, stock.Count);
    }

    [Fact]
    public async Task A_second_host_joins_the_first_ones_cluster_and_sees_its_cache()
    {
        var sku = "sku-" + Guid.NewGuid().ToString("N")[..8];
        await Kafka.GetRequiredService<StockCache>().SetAsync(sku, new Stock(sku, 7));

        await using var second = await KafkaTestHost.StartAsync(
            builder => builder.Services.AddSingleton<Ledger>().AddKafkaTyped(builder.Configuration),
            options => options.BootstrapServers = Kafka.BootstrapServers);

        Assert.True(second.GetRequiredService<StockCache>().TryGet(sku, out var stock));
        Assert.Equal(7, stock.Count);
    }

    [Fact]
    public async Task Forgetting_AddKafkaTyped_fails_at_once_naming_it_and_the_fix()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => KafkaTestHost.StartAsync(builder => builder.Services.AddSingleton<Ledger>()));

        Assert.Contains("registered no KafkaTyped services", error.Message, StringComparison.Ordinal);
        Assert.Contains("b.Services.AddKafkaTyped(b.Configuration)", error.Message, StringComparison.Ordinal);
        Assert.Contains("InternalsVisibleTo", error.Message, StringComparison.Ordinal);
    }
}
