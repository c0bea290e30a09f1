namespace KafkaTyped.SchemaRegistry;

/// <summary>Schema Registry compatibility levels.</summary>
public enum CompatibilityLevel
{
    /// <summary>No check.</summary>
    None,

    /// <summary>The new schema reads data written with the latest one (the registry default).</summary>
    Backward,

    /// <summary>Backward against every earlier version.</summary>
    BackwardTransitive,

    /// <summary>The latest schema reads data written with the new one.</summary>
    Forward,

    /// <summary>Forward against every earlier version.</summary>
    ForwardTransitive,

    /// <summary>Backward and forward.</summary>
    Full,

    /// <summary>Full against every earlier version.</summary>
    FullTransitive,
}

/// <summary>Conversions between <see cref="CompatibilityLevel"/> and the registry's upper-case names.</summary>
internal static class CompatibilityLevels
{
    /// <summary>The registry's name, for example <c>BACKWARD_TRANSITIVE</c>.</summary>
    public static string ToRegistryName(this CompatibilityLevel level) => level switch
    {
        CompatibilityLevel.None => "NONE",
        CompatibilityLevel.Backward => "BACKWARD",
        CompatibilityLevel.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityLevel.Forward => "FORWARD",
        CompatibilityLevel.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityLevel.Full => "FULL",
        CompatibilityLevel.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Parses a registry name (case-insensitive).</summary>
    public static bool TryParse(string? name, out CompatibilityLevel level)
    {
        switch (name?.ToUpperInvariant())
        {
            case "NONE": level = CompatibilityLevel.None; return true;
            case "BACKWARD": level = CompatibilityLevel.Backward; return true;
            case "BACKWARD_TRANSITIVE": level = CompatibilityLevel.BackwardTransitive; return true;
            case "FORWARD": level = CompatibilityLevel.Forward; return true;
            case "FORWARD_TRANSITIVE": level = CompatibilityLevel.ForwardTransitive; return true;
            case "FULL": level = CompatibilityLevel.Full; return true;
            case "FULL_TRANSITIVE": level = CompatibilityLevel.FullTransitive; return true;
            default: level = default; return false;
        }
    }
}
