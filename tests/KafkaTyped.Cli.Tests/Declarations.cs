using KafkaTyped.Consuming;

namespace KafkaTyped.Cli.Tests;

// An application as a user writes it: the tests host it on its own embedded cluster, and the tool reads this assembly
// (schemas export --assembly, produce --assembly, groups list --assembly).

/// <summary>Two message types on one topic, keyed by order id.</summary>
[Topic("cli-orders", Partitions = 3)]
public partial interface ICliOrders;

[KafkaMessage]
public sealed partial record CliOrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents, [Field(3)] DateTimeOffset PlacedAt) : ICliOrders;

[KafkaMessage]
public sealed partial record CliOrderCancelled([Field(1), Key] string OrderId, [Field(2)] string Reason) : ICliOrders;

/// <summary>Rejects negative amounts for good, so they go to cli-orders.dlq.</summary>
[ConsumerGroup("cli-billing")]
public sealed partial class CliBilling : IHandle<CliOrderPlaced>
{
    public ValueTask HandleAsync(CliOrderPlaced message, MessageContext context, CancellationToken cancellationToken) =>
        message.AmountCents < 0 ? throw new NonRetryableException("negative amount") : ValueTask.CompletedTask;
}
