using System.CommandLine;

namespace KafkaTyped.Cli.Commands;

internal static class SchemasCommand
{
    public static Command Create() => new("schemas", "todo");
}
