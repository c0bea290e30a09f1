namespace KafkaTyped.Cli;

/// <summary>A failure the user can act on: printed as one line on stderr, and the process exits with <see cref="ExitCode"/>.</summary>
internal sealed class CliException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
