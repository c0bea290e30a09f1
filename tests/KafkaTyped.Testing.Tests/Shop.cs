using System.Collections.Concurrent;
using KafkaTyped.Consuming;
using KafkaTyped.Cache;

namespace KafkaTyped.Testing.Tests;

// A small application, as a user writes it: a topic with three messages, two consumer groups (one of them produces),
// a replicated cache. The generator adds the codecs, ShopEventsSet, IShopEventsProducer, the dispatchers and AddKafkaTyped.

[Topic("testing-shop", Partitions = 3)]
public partial interface IShopEvents;

[KafkaMessage]
public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long Cents) : IShopEvents;

[KafkaMessage]
public sealed partial record OrderBilled([Field(1), Key] string OrderId, [Field(2)] long Cents) : IShopEvents;

[KafkaMessage]
public sealed partial record Stock([Field(1)] string Sku, [Field(2)] int Count);

[ReplicatedCache("testing-stock", Partitions = 2)]
public sealed partial class StockCache : ReplicatedCache<string, Stock>;

/// <summary>Bills placed orders, and refuses negative amounts (those end in the dead-letter topic).</summary>
[ConsumerGroup("testing-billing")]
public sealed partial class Billing(Ledger ledger, IShopEventsProducer events) : IHandle<OrderPlaced>
{
    public async ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.Cents < 0)
        {
            throw new NonRetryableException($"order {message.OrderId} has a negative amount");
        }

        ledger.Billed[message.OrderId] = message.Cents;
        await events.ProduceAsync(new OrderBilled(message.OrderId, message.Cents), cancellationToken: cancellationToken);
    }
}

/// <summary>Counts billed orders.</summary>
[ConsumerGroup("testing-reports")]
public sealed partial class Reports(Ledger ledger) : IHandle<OrderBilled>
{
    public ValueTask HandleAsync(OrderBilled message, MessageContext context, CancellationToken cancellationToken)
    {
        ledger.Reported[message.OrderId] = message.Cents;
        return ValueTask.CompletedTask;
    }
}

/// <summary>What the handlers did (a singleton of the application).</summary>
public sealed class Ledger
{
    public ConcurrentDictionary<string, long> Billed { get; } = new();

    public ConcurrentDictionary<string, long> Reported { get; } = new();
}
