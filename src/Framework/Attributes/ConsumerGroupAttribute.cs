namespace KafkaTyped;

/// <summary>
/// Marks a <c>partial class</c> implementing one or more <see cref="IHandle{TMessage}"/> as a handler in a consumer group.
/// The generator emits the group's dispatch loop, which calls the handler through a generated <c>switch</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class ConsumerGroupAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="groupId">The Kafka consumer group id.</param>
    public ConsumerGroupAttribute(string groupId) => GroupId = groupId;

    /// <summary>The Kafka consumer group id.</summary>
    public string GroupId { get; }
}
