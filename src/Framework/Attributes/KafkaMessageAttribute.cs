namespace KafkaTyped;

/// <summary>
/// Marks a <c>partial record</c> (or partial class) as a Kafka message. The KafkaTyped generator implements
/// Google.Protobuf's <c>IMessage&lt;T&gt;</c> on it and emits its <c>.proto</c> schema and descriptor.
/// </summary>
/// <remarks>
/// Every serialized member carries an explicit <see cref="FieldAttribute"/> number. A message implements the
/// partial interface of the message set (<see cref="TopicAttribute"/>) whose topic it travels on; a message that
/// implements none is a value object usable as a field type.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class KafkaMessageAttribute : Attribute
{
    /// <summary>The Protobuf message name; defaults to the C# type name.</summary>
    public string? Name { get; set; }
}
