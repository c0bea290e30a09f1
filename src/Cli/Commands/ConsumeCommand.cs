using System.CommandLine;

namespace KafkaTyped.Cli.Commands;

internal static class ConsumeCommand
{
    public static Command Create() => new("consume", "todo");
}
