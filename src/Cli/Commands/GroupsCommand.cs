using System.CommandLine;

namespace KafkaTyped.Cli.Commands;

internal static class GroupsCommand
{
    public static Command Create() => new("groups", "todo");
}
