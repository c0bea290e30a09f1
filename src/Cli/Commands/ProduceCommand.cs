using System.CommandLine;

namespace KafkaTyped.Cli.Commands;

internal static class ProduceCommand
{
    public static Command Create() => new("produce", "todo");
}
