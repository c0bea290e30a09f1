using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Chaos;

/// <summary>
/// What every chaos app does the same way: settings under <c>chaos:</c> next to the usual <c>KafkaTyped:</c> ones
/// (all from the command line), one status line per event on standard output for the scenario runner, and commands
/// read from standard input until <c>quit</c> or end of input (so an app never outlives its runner).
/// </summary>
public static class ChaosApp
{
    private static readonly object ConsoleGate = new();

    /// <summary>A host builder on the command line's configuration; console logs at warning level, one line each.</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        WatchParent();
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);

        // Retries and dead letters of the records that fail on purpose would flood the console; the consumer app
        // reports the group's other warnings itself (GroupEvents).
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("KafkaTyped.Consuming", LogLevel.None);
        return builder;
    }

    /// <summary>
    /// Ends this process when the runner that started it (<see cref="ParentVariable"/>) is gone: the end of standard
    /// input tells a running app, but not one still starting (a cache replica replays its topic before it reads
    /// commands), and a runner killed with <c>kill -9</c> must not leave apps behind.
    /// </summary>
    private static void WatchParent()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(ParentVariable), out var parent))
        {
            return;
        }

        new Thread(() =>
        {
            while (true)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(parent);
                    if (process.HasExited)
                    {
                        break;
                    }
                }
                catch (ArgumentException)
                {
                    break;
                }

                Thread.Sleep(500);
            }

            Environment.Exit(4);
        })
        { IsBackground = true, Name = "chaos-parent-watch" }.Start();
    }

    /// <summary>The environment variable with the process id of the runner that started a chaos app.</summary>
    public const string ParentVariable = "KAFKATYPED_CHAOS_PARENT";

    /// <summary>A required <c>chaos:</c> setting.</summary>
    public static string Setting(IConfiguration configuration, string name) =>
        configuration["chaos:" + name] ?? throw new InvalidOperationException($"missing --chaos:{name}=...");

    /// <summary>Writes one status line for the runner (thread-safe, flushed).</summary>
    public static void Say(string line)
    {
        lock (ConsoleGate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }

    /// <summary>Starts the host; on failure says <c>START-FAILED</c> with the reason and returns false.</summary>
    public static async Task<bool> TryStartAsync(IHost host)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await host.StartAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception error)
        {
            Say($"START-FAILED {error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}");
            return false;
        }
    }

    /// <summary>Runs <paramref name="execute"/> for every input line until <c>quit</c> or end of input.</summary>
    public static async Task CommandLoopAsync(Func<string, Task> execute)
    {
        while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            line = line.Trim();
            if (line == "quit")
            {
                return;
            }

            if (line.Length > 0)
            {
                await execute(line).ConfigureAwait(false);
            }
        }
    }
}
