namespace KafkaTyped.Cli;

/// <summary>The exit codes of every command (docs/cli.md lists them for scripts).</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>The operation failed (the line on stderr says why).</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or bad input: unknown option, malformed JSON, a field the schema lacks.</summary>
    public const int Usage = 2;

    /// <summary>Something named does not exist: topic, group, subject, schema id, message type, file.</summary>
    public const int NotFound = 3;

    /// <summary>The Kafka cluster or the Schema Registry cannot be reached, or none is configured.</summary>
    public const int Unavailable = 4;

    /// <summary>The target cannot do it: an operation the embedded cluster does not serve from this process.</summary>
    public const int NotSupported = 5;

    /// <summary><c>schemas check</c>: the schema is incompatible with the registered versions.</summary>
    public const int Incompatible = 6;
}
