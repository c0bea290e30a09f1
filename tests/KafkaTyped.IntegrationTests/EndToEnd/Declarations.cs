using System.Collections.Concurrent;
using KafkaTyped.Cache;

namespace KafkaTyped.IntegrationTests.EndToEnd;

// What a user writes: messages, one topic, handler classes and a cache. Everything else in this folder's tests is
// generated (codecs, OrderFlowSet, IOrderFlowProducer, BillingDispatcher, ShippingDispatcher, PriceBoardAuditDispatcher,
// the PriceBoard partial with its operation messages, and AddKafkaTyped).

/// <summary>Three message types on one topic.</summary>
[Topic("e2e-order-flow", Partitions = 6)]
public partial interface IOrderFlow;

[KafkaMessage]
public sealed partial record OrderOpened([Field(1), Key] string OrderId, [Field(2)] long Cents) : IOrderFlow;

[KafkaMessage]
public sealed partial record OrderShipped([Field(1), Key] string OrderId, [Field(2)] string Carrier) : IOrderFlow;

[KafkaMessage]
public sealed partial record OrderVoided([Field(1), Key] string OrderId, [Field(2)] string Reason) : IOrderFlow;

[KafkaMessage]
public sealed partial record ShelfPrice([Field(1)] string Sku, [Field(2)] long Cents);

/// <summary>Handles two of the three members; <see cref="OrderShipped"/> is skipped by this group.</summary>
[ConsumerGroup("e2e-billing")]
public sealed partial class Billing(Inbox inbox) : IHandle<OrderOpened>, IHandle<OrderVoided>
{
    public ValueTask HandleAsync(OrderOpened message, MessageContext context, CancellationToken cancellationToken) =>
        inbox.Add(nameof(Billing), message, context);

    public ValueTask HandleAsync(OrderVoided message, MessageContext context, CancellationToken cancellationToken) =>
        inbox.Add(nameof(Billing), message, context);
}

/// <summary>A second group on the same topic, with an explicit interface implementation.</summary>
[ConsumerGroup("e2e-shipping")]
public sealed partial class Shipping(Inbox inbox) : IHandle<OrderShipped>
{
    ValueTask IHandle<OrderShipped>.HandleAsync(OrderShipped message, MessageContext context, CancellationToken cancellationToken) =>
        inbox.Add(nameof(Shipping), message, context);
}

[ReplicatedCache("e2e-prices", Partitions = 3)]
public sealed partial class PriceBoard : ReplicatedCache<string, ShelfPrice>;

/// <summary>
/// An audit log of the cache's generated operations (<see cref="PriceBoard.Added"/>, ...) in a consumer group of its
/// own: an ordinary handler, dispatched by the generated PriceBoardAuditDispatcher.
/// </summary>
[ConsumerGroup("e2e-price-audit")]
public sealed partial class PriceBoardAudit(Inbox inbox) : IHandle<PriceBoard.Added>, IHandle<PriceBoard.Updated>, IHandle<PriceBoard.Deleted>
{
    public ValueTask HandleAsync(PriceBoard.Added message, MessageContext context, CancellationToken cancellationToken) =>
        inbox.Add(nameof(PriceBoardAudit), message, context);

    public ValueTask HandleAsync(PriceBoard.Updated message, MessageContext context, CancellationToken cancellationToken) =>
        inbox.Add(nameof(PriceBoardAudit), message, context);

    ValueTask IHandle<PriceBoard.Deleted>.HandleAsync(PriceBoard.Deleted message, MessageContext context, CancellationToken cancellationToken) =>
        inbox.Add(nameof(PriceBoardAudit), message, context);
}

/// <summary>What the handlers received (a singleton the test registers).</summary>
public sealed class Inbox
{
    private readonly ConcurrentQueue<Delivery> deliveries = new();

    public IReadOnlyCollection<Delivery> Deliveries => deliveries;

    public ValueTask Add(string handler, object message, MessageContext context)
    {
        deliveries.Enqueue(new Delivery(handler, message, context.Topic, context.Partition, context.GroupId));
        return default;
    }

    public async Task<Delivery[]> WaitForAsync(Func<Delivery, bool> match, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = deliveries.Where(match).ToArray();
            if (found.Length >= count || DateTime.UtcNow > deadline)
            {
                return found;
            }

            await Task.Delay(50);
        }
    }
}

public sealed record Delivery(string Handler, object Message, string Topic, int Partition, string? GroupId);
