namespace KafkaTyped.Framing;

/// <summary>The parsed Confluent frame header of one record: schema id, message-index path and where the payload starts.</summary>
/// <param name="SchemaId">The registry's schema id.</param>
/// <param name="Path">The message-index path inside the registered file.</param>
/// <param name="PayloadOffset">The offset of the Protobuf payload in the value; the payload runs to its end.</param>
internal readonly record struct WireHeader(int SchemaId, MessageIndexPath Path, int PayloadOffset);
