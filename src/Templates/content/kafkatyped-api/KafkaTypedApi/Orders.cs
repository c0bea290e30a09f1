using KafkaTyped;
using KafkaTyped.Cache;

namespace KafkaTypedApi;

/// <summary>The order events topic. The generator adds <c>OrderEventsSet</c> and the producer <c>IOrderEventsProducer</c>.</summary>
[Topic("orders", Partitions = 6)]
public partial interface IOrderEvents;

/// <summary>An order was placed (produced by <c>POST /orders</c>).</summary>
[KafkaMessage]
public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents) : IOrderEvents;

/// <summary>What <c>GET /orders/{id}</c> returns: an order's state, kept in the replicated cache.</summary>
[KafkaMessage]
public sealed partial record OrderStatus([Field(1)] string OrderId, [Field(2)] long AmountCents, [Field(3)] string State);

/// <summary>Order states, replicated to every instance of the API through a compacted topic: reads are local.</summary>
[ReplicatedCache("order-status", Partitions = 3)]
public sealed partial class OrderStatusCache : ReplicatedCache<string, OrderStatus>;

/// <summary>The consumer group <c>order-status</c>: accepts placed orders and records their state in the cache.</summary>
[ConsumerGroup("order-status")]
public sealed partial class OrderStatusProjection(OrderStatusCache statuses) : IHandle<OrderPlaced>
{
    /// <inheritdoc />
    public async ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) =>
        await statuses.SetAsync(message.OrderId, new OrderStatus(message.OrderId, message.AmountCents, "accepted"), cancellationToken);
}
