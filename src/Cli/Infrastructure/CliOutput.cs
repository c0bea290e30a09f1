using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace KafkaTyped.Cli;

/// <summary>
/// Where a command writes: results to stdout (Spectre.Console tables and text, or JSON with <c>--json</c>), progress and
/// errors to stderr, so a script can pipe stdout while a person still sees what happens.
/// </summary>
internal sealed class CliOutput
{
    /// <summary>Indented JSON with only the escaping JSON needs (quotes stay quotes in schema text).</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly TextWriter stdout;
    private readonly TextWriter stderr;
    private readonly object gate = new();

    public CliOutput(bool json, TextWriter stdout, TextWriter stderr)
    {
        Json = json;
        this.stdout = stdout;
        this.stderr = stderr;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = System.Console.IsOutputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (System.Console.IsOutputRedirected)
        {
            // A pipe has no width; Spectre would wrap tables at 80 columns.
            Console.Profile.Width = 200;
        }
    }

    /// <summary>True with <c>--json</c>: stdout carries JSON only.</summary>
    public bool Json { get; }

    /// <summary>The console for tables, live views and markup (stdout).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when stdout is a terminal a live view can redraw.</summary>
    public bool IsInteractive => !System.Console.IsOutputRedirected;

    /// <summary>
    /// Runs long work under a progress bar when stdout is a terminal (nothing is drawn for pipes or with --json);
    /// the work reports each finished step.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string description, int steps, Func<Action, Task<T>> work)
    {
        if (Json || !IsInteractive || steps < 2)
        {
            return await work(static () => { }).ConfigureAwait(false);
        }

        T result = default!;
        await Console.Progress().AutoClear(true).StartAsync(async context =>
        {
            var task = context.AddTask(Markup.Escape(description), maxValue: steps);
            result = await work(() => task.Increment(1)).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>Writes one JSON document, indented.</summary>
    public void WriteJson(JsonNode? node)
    {
        lock (gate)
        {
            stdout.WriteLine(node?.ToJsonString(Indented) ?? "null");
            stdout.Flush();
        }
    }

    /// <summary>Writes one JSON value on one line (JSON lines, for streams of records).</summary>
    public void WriteJsonLine(JsonNode? node)
    {
        lock (gate)
        {
            stdout.WriteLine(node?.ToJsonString(Compact) ?? "null");
            stdout.Flush();
        }
    }

    /// <summary>Writes plain text to stdout.</summary>
    public void WriteLine(string text)
    {
        lock (gate)
        {
            stdout.WriteLine(text);
            stdout.Flush();
        }
    }

    /// <summary>A progress or status line on stderr.</summary>
    public void Info(string text)
    {
        lock (gate)
        {
            stderr.WriteLine(text);
            stderr.Flush();
        }
    }

    /// <summary>The one error line of a failed command.</summary>
    public void Error(string text) => Info("error: " + text);
}
