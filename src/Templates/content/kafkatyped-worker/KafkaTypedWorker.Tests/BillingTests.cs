using KafkaTyped.Testing;

namespace KafkaTypedWorker.Tests;

/// <summary>The billing service on an embedded Kafka cluster, started once for the tests of this class.</summary>
public sealed class BillingHost : IAsyncLifetime
{
    public KafkaTestHost Kafka { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Kafka = await KafkaTestHost.StartAsync(builder => builder.Services.AddBilling(builder.Configuration));

    public async Task DisposeAsync() => await Kafka.DisposeAsync();
}

public sealed class BillingTests(BillingHost host) : IClassFixture<BillingHost>
{
    private KafkaTestHost Kafka => host.Kafka;

    [Fact]
    public async Task A_placed_order_is_billed()
    {
        var orderId = $"order-{Guid.NewGuid():N}";

        var sent = await Kafka.GetRequiredService<IOrderEventsProducer>().ProduceAsync(new OrderPlaced(orderId, 1250));
        await Kafka.WaitUntilHandledAsync("billing", sent);

        Assert.True(Kafka.GetRequiredService<BilledOrders>().TryGet(orderId, out var amount));
        Assert.Equal(1250, amount);
    }

    [Fact]
    public async Task An_order_with_a_negative_amount_is_dead_lettered()
    {
        var orderId = $"order-{Guid.NewGuid():N}";

        await Kafka.GetRequiredService<IOrderEventsProducer>().ProduceAsync(new OrderPlaced(orderId, -1));
        var deadLetter = await Kafka.WaitForDeadLetterAsync(OrderEventsSet.Instance, d => d.Key == orderId);

        Assert.Equal(new OrderPlaced(orderId, -1), deadLetter.Message);
        Assert.Contains("negative amount", deadLetter.ExceptionMessage, StringComparison.Ordinal);
        Assert.False(Kafka.GetRequiredService<BilledOrders>().TryGet(orderId, out _));
    }
}
