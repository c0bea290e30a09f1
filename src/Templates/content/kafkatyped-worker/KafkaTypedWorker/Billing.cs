using System.Collections.Concurrent;
using KafkaTyped;
using KafkaTyped.Consuming;
using Microsoft.Extensions.Logging;

namespace KafkaTypedWorker;

/// <summary>
/// The consumer group <c>billing</c>: the generator emits its dispatcher, and <c>AddKafkaTyped</c> runs it as a hosted
/// consumer. A failing message is retried with backoff and then written to the topic's dead-letter topic (<c>.dlq</c>).
/// </summary>
[ConsumerGroup("billing")]
public sealed partial class Billing(BilledOrders billed, ILogger<Billing> logger) : IHandle<OrderPlaced>
{
    /// <inheritdoc />
    public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.AmountCents < 0)
        {
            // Not worth retrying: dead-lettered at once.
            throw new NonRetryableException($"order {message.OrderId} has a negative amount ({message.AmountCents})");
        }

        billed.Add(message.OrderId, message.AmountCents);
        logger.LogInformation("Billed {OrderId}: {Amount:0.00} (partition {Partition}, offset {Offset})", message.OrderId, message.AmountCents / 100m, context.Partition, context.Offset);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The orders billed so far (a singleton).</summary>
public sealed class BilledOrders
{
    private readonly ConcurrentDictionary<string, long> orders = new(StringComparer.Ordinal);

    /// <summary>The amount billed for an order, if it was billed.</summary>
    public bool TryGet(string orderId, out long amountCents) => orders.TryGetValue(orderId, out amountCents);

    /// <summary>The number of billed orders.</summary>
    public int Count => orders.Count;

    internal void Add(string orderId, long amountCents) => orders[orderId] = amountCents;
}
