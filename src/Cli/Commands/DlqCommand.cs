using System.CommandLine;

namespace KafkaTyped.Cli.Commands;

internal static class DlqCommand
{
    public static Command Create() => new("dlq", "todo");
}
