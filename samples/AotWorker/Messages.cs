using KafkaTyped;
using KafkaTyped.Cache;

namespace AotWorker;

/// <summary>The order events: one topic, one message set registered in the Schema Registry, a generated producer.</summary>
[Topic("orders", Partitions = 3)]
public partial interface IOrderEvents;

/// <summary>An order was placed; the key keeps one order's events in order.</summary>
[KafkaMessage]
public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents) : IOrderEvents;

/// <summary>A customer's credit limit: the value type of the replicated cache.</summary>
[KafkaMessage]
public sealed partial record CreditLimit([Field(1)] string CustomerId, [Field(2)] long Cents);

/// <summary>Credit limits replicated to every instance through the compacted <c>credit-limits</c> topic.</summary>
[ReplicatedCache("credit-limits", Partitions = 3)]
public sealed partial class CreditLimits : ReplicatedCache<string, CreditLimit>;
