using System.CommandLine;

namespace KafkaTyped.Cli.Commands;

internal static class TopicsCommand
{
    public static Command Create() => new("topics", "todo");
}
