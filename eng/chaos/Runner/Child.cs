using System.Diagnostics;

namespace KafkaTyped.Chaos;

/// <summary>
/// A chaos app running in its own process: its status lines (kept, and copied with a time stamp to its log file),
/// commands on its standard input, <c>kill -9</c> (<see cref="Process.Kill()"/> sends SIGKILL) or a graceful quit.
/// </summary>
internal sealed class Child
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly StreamWriter log;
    private readonly Stopwatch clock;

    private Child(string name, Process process, StreamWriter log, Stopwatch clock)
    {
        Name = name;
        this.process = process;
        this.log = log;
        this.clock = clock;
        StartedAt = clock.Elapsed;
        process.OutputDataReceived += (_, e) => Received(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => Received(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int ProcessId => process.Id;

    /// <summary>When the runner started it (on the run's clock).</summary>
    public TimeSpan StartedAt { get; }

    /// <summary>Set when the runner killed or stopped it on purpose.</summary>
    public bool Ended { get; private set; }

    /// <summary>When the runner killed it or asked it to quit.</summary>
    public TimeSpan? EndedAt { get; private set; }

    /// <summary>When it said STARTED (its host was up).</summary>
    public TimeSpan? StartedLineAt { get; private set; }

    /// <summary>When it first said ASSIGNED (it got partitions).</summary>
    public TimeSpan? FirstAssignedAt { get; private set; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static Child Start(string name, string app, IEnumerable<string> arguments, string logDirectory, Stopwatch clock)
    {
        var self = Environment.ProcessPath!;
        var dotnet = Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { [ChaosApp.ParentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(app);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var log = new StreamWriter(Path.Combine(logDirectory, name + ".log"), append: true) { AutoFlush = true };
        return new Child(name, process, log, clock);
    }

    /// <summary>The lines seen so far.</summary>
    public string[] Lines
    {
        get
        {
            lock (lines)
            {
                return [.. lines];
            }
        }
    }

    public int LineCount
    {
        get
        {
            lock (lines)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/>, from line <paramref name="from"/> on.</summary>
    public async Task<string> WaitForAsync(string prefix, TimeSpan timeout, int from = 0)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            lock (lines)
            {
                for (var i = from; i < lines.Count; i++)
                {
                    if (lines[i].StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return lines[i];
                    }
                }
            }

            if (process.HasExited)
            {
                await Task.Delay(100); // the last lines may still be on their way
                lock (lines)
                {
                    var found = lines.Skip(from).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
                    if (found is not null)
                    {
                        return found;
                    }
                }

                throw new ChildFailedException($"{Name} exited ({process.ExitCode}) before saying '{prefix}'; last lines: {string.Join(" | ", Lines.TakeLast(5))}");
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} did not say '{prefix}' within {timeout.TotalSeconds:0} s; last lines: {string.Join(" | ", Lines.TakeLast(5))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Sends a command and waits for its <c>OK</c>.</summary>
    public async Task CommandAsync(string command, TimeSpan timeout)
    {
        var from = LineCount;
        Send(command);
        var answer = await WaitForAsync("OK " + command, timeout, from);
        _ = answer;
    }

    public void Send(string command)
    {
        try
        {
            process.StandardInput.WriteLine(command);
            process.StandardInput.Flush();
        }
        catch (IOException)
        {
            // It exited meanwhile; whoever waits for its answer sees that.
        }
    }

    /// <summary>kill -9.</summary>
    public void Kill()
    {
        Ended = true;
        EndedAt ??= clock.Elapsed;
        Note("killed with SIGKILL");
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        process.WaitForExit(10_000);
    }

    /// <summary>Sends <c>quit</c> and waits for the process to end; kills it after <paramref name="timeout"/>.</summary>
    public async Task<bool> QuitAsync(TimeSpan timeout)
    {
        Ended = true;
        EndedAt ??= clock.Elapsed;
        Note("asked to quit");
        Send("quit");
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(timeout).Token);
            return process.ExitCode == 0;
        }
        catch (OperationCanceledException)
        {
            Note($"did not quit within {timeout.TotalSeconds:0} s; killed");
            process.Kill();
            return false;
        }
    }

    private void Note(string what) => Received($"[runner] {what}", isError: false, keep: false);

    private void Received(string? line, bool isError, bool keep = true)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            if (keep && !isError)
            {
                lines.Add(line);
                if (line.StartsWith("STARTED", StringComparison.Ordinal))
                {
                    StartedLineAt ??= clock.Elapsed;
                }
                else if (line.StartsWith("ASSIGNED", StringComparison.Ordinal) && line != "ASSIGNED 0")
                {
                    FirstAssignedAt ??= clock.Elapsed;
                }
            }

            log.WriteLine($"{clock.Elapsed.TotalSeconds,8:0.000} {(isError ? "! " : "")}{line}");
        }
    }
}

internal sealed class ChildFailedException(string message) : Exception(message);
