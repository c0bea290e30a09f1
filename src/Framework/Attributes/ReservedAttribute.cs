namespace KafkaTyped;

/// <summary>
/// Keeps removed field numbers or names out of use, emitted as <c>reserved</c> in the <c>.proto</c> schema.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = true)]
public sealed class ReservedAttribute : Attribute
{
    /// <summary>Reserves field numbers.</summary>
    public ReservedAttribute(params int[] numbers)
    {
        Numbers = numbers ?? [];
        Names = [];
    }

    /// <summary>Reserves field names (the snake_case Protobuf names).</summary>
    public ReservedAttribute(params string[] names)
    {
        Numbers = [];
        Names = names ?? [];
    }

    /// <summary>The reserved field numbers.</summary>
    public int[] Numbers { get; }

    /// <summary>The reserved field names.</summary>
    public string[] Names { get; }
}
