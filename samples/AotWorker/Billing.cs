using System.Collections.Concurrent;
using KafkaTyped;
using KafkaTyped.Consuming;

namespace AotWorker;

/// <summary>
/// The consumer group <c>billing</c>: bills each order against the customer's cached credit limit. A negative amount is
/// not worth retrying and goes straight to <c>orders.dlq</c>.
/// </summary>
[ConsumerGroup("billing")]
public sealed partial class Billing(BilledOrders billed, CreditLimits limits) : IHandle<OrderPlaced>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.AmountCents < 0)
        {
            throw new NonRetryableException($"order {message.OrderId} has a negative amount ({message.AmountCents})");
        }

        var withinLimit = limits.TryGet("customer-1", out var limit) && message.AmountCents <= limit.Cents;
        billed.Add(message.OrderId, withinLimit);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The orders billed so far, and when the first one was (a singleton).</summary>
public sealed class BilledOrders
{
    private readonly ConcurrentDictionary<string, bool> orders = new(StringComparer.Ordinal);
    private long firstHandledAtTicks;

    /// <summary>The number of billed orders.</summary>
    public int Count => orders.Count;

    /// <summary>How many billed orders were within the customer's credit limit.</summary>
    public int WithinLimit => orders.Values.Count(static within => within);

    /// <summary>When the first order was billed (UTC), or <see cref="DateTime.MinValue"/>.</summary>
    public DateTime FirstHandledAt => new(Interlocked.Read(ref firstHandledAtTicks), DateTimeKind.Utc);

    internal void Add(string orderId, bool withinLimit)
    {
        Interlocked.CompareExchange(ref firstHandledAtTicks, DateTime.UtcNow.Ticks, 0);
        orders[orderId] = withinLimit;
    }
}
