using KafkaTyped.Testing;

namespace KafkaTypedApi.Tests;

/// <summary>The order service's Kafka side on an embedded cluster, started once for the tests of this class.</summary>
public sealed class OrdersHost : IAsyncLifetime
{
    public KafkaTestHost Kafka { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Kafka = await KafkaTestHost.StartAsync(builder => builder.Services.AddOrders(builder.Configuration));

    public async Task DisposeAsync() => await Kafka.DisposeAsync();
}

public sealed class OrderStatusTests(OrdersHost host) : IClassFixture<OrdersHost>
{
    private KafkaTestHost Kafka => host.Kafka;

    [Fact]
    public async Task A_placed_order_is_accepted_in_the_status_cache()
    {
        var orderId = $"order-{Guid.NewGuid():N}";

        var sent = await Kafka.GetRequiredService<IOrderEventsProducer>().ProduceAsync(new OrderPlaced(orderId, 1250));
        await Kafka.WaitUntilHandledAsync("order-status", sent);

        Assert.True(Kafka.GetRequiredService<OrderStatusCache>().TryGet(orderId, out var status));
        Assert.Equal(new OrderStatus(orderId, 1250, "accepted"), status);
    }
}
