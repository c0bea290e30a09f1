using KafkaTyped;

namespace KafkaTypedWorker;

/// <summary>
/// The messages of one topic. The generator makes this a message set (<c>OrderEventsSet</c>, one Protobuf file
/// registered in the Schema Registry) with a typed producer, <c>IOrderEventsProducer</c>.
/// </summary>
[Topic("orders", Partitions = 6)]
public partial interface IOrderEvents;

/// <summary>An order was placed. The <c>[Key]</c> field is the Kafka key: one order's events stay in order.</summary>
[KafkaMessage]
public sealed partial record OrderPlaced([Field(1), Key] string OrderId, [Field(2)] long AmountCents) : IOrderEvents;
