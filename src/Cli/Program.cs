using System.CommandLine;
using Confluent.Kafka;
using KafkaTyped.Cli.Commands;
using KafkaTyped.Embedded.Native;

namespace KafkaTyped.Cli;

/// <summary>The <c>kafkatyped</c> command line: parsing, the commands, and one error line plus an exit code on failure.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("kafkatyped: the Kafka command line for KafkaTyped topics: a dev cluster, topics, typed produce and consume, consumer groups with lag, schemas, dead letters, AsyncAPI.");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(DevCommand.Create());
        root.Subcommands.Add(TopicsCommand.Create());
        root.Subcommands.Add(ProduceCommand.Create());
        root.Subcommands.Add(ConsumeCommand.Create());
        root.Subcommands.Add(GroupsCommand.Create());
        root.Subcommands.Add(SchemasCommand.Create());
        root.Subcommands.Add(DlqCommand.Create());

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            await Console.Error.WriteLineAsync("Run 'kafkatyped --help' (or add --help to the command) for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            // Ctrl-C cancels the action's token; the action stops cleanly (dev disposes the cluster) within this time.
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(15) }).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }
        catch (KafkaNativeLibraryException e)
        {
            await Console.Error.WriteLineAsync("error: the native Kafka client could not be loaded: " + e.Message).ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("KAFKATYPED_DEBUG") == "1")
            {
                await Console.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Failed;
        }
    }

    /// <summary>Runs a command with its context; every command's action goes through here.</summary>
    public static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<CliContext, CancellationToken, Task<int>> action)
    {
        using var context = CliContext.Create(parse);
        return await action(context, cancellationToken).ConfigureAwait(false);
    }
}
