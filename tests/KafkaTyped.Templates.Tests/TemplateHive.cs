using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace KafkaTyped.Templates.Tests;

/// <summary>The result of one command.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"{Command}: exit {ExitCode}\n{Output}";
}

/// <summary>
/// The packages as a user gets them: KafkaTyped, KafkaTyped.Testing and KafkaTyped.Templates packed (with a version of
/// this test run's own, so no copy restored earlier can answer) into a folder feed, the templates installed into a
/// temporary hive (<c>--debug:custom-hive</c>), and a nuget.config over the instantiated projects whose only source is
/// that folder, with the machine's NuGet cache as a fallback folder: restores run offline, and a private package cache
/// keeps the packed packages out of the machine's. Everything lives under <see cref="Root"/>, removed at the end.
/// </summary>
public sealed class TemplateHive : IDisposable
{
    /// <summary>A guard against a hung command (restore, build, run, test), not a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    public TemplateHive()
    {
        Root = Directory.CreateTempSubdirectory("kafkatyped-templates-tests-").FullName;
        Version = $"0.1.0-templatetest.{Guid.NewGuid():N}"[..31];
        var repository = RepositoryRoot();
        var packages = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        foreach (var project in new[] { "src/Framework/KafkaTyped.csproj", "src/Testing/KafkaTyped.Testing.csproj", "src/Templates/KafkaTyped.Templates.csproj" })
        {
            Check(Run(repository, "dotnet", ["pack", Path.Combine(repository, project), "-c", configuration, "--no-build", "-o", packages, $"-p:Version={Version}", "-nodeReuse:false"]));
        }

        var fallback = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(Root, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="machine" value="{fallback}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        Hive = Path.Combine(Root, "hive");
        Check(Run(Root, "dotnet", ["new", "install", Path.Combine(packages, $"KafkaTyped.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive]));
    }

    public string Root { get; }

    public string Hive { get; }

    public string Version { get; }

    /// <summary>Runs <c>dotnet new</c> in the hive; the output goes to a new folder under <see cref="Root"/> (one per instantiation).</summary>
    public string Instantiate(string template, params string[] options)
    {
        var output = Path.Combine(Root, template + "-" + Guid.NewGuid().ToString("N")[..8]);
        Check(Run(Root, "dotnet", ["new", template, "-o", output, "--debug:custom-hive", Hive, .. options]));
        return output;
    }

    /// <summary>Runs a command to its end (killed, with the process tree, after <see cref="Patience"/>).</summary>
    public CommandResult Run(string workingDirectory, string command, string[] args, TimeSpan? patience = null)
    {
        using var process = Start(workingDirectory, command, args);
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(patience ?? Patience))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return new CommandResult($"{command} {string.Join(' ', args)} (killed: did not finish within {(patience ?? Patience).TotalMinutes} min)", -1, Text(output));
        }

        process.WaitForExit(); // drains the redirected output
        return new CommandResult($"{command} {string.Join(' ', args)}", process.ExitCode, Text(output));
    }

    /// <summary>
    /// Runs a long-lived command until a line contains <paramref name="expected"/> (or it exits, or the patience ends),
    /// then runs <paramref name="whileRunning"/> (if any) and ends it with its process tree. Returns everything it wrote.
    /// </summary>
    public CommandResult RunUntil(string workingDirectory, string command, string[] args, string expected, Func<Task>? whileRunning = null)
    {
        using var process = Start(workingDirectory, command, args);
        var output = new StringBuilder();
        using var seen = new ManualResetEventSlim();
        void OnLine(string? line)
        {
            Append(output, line);
            if (line is not null && line.Contains(expected, StringComparison.Ordinal))
            {
                seen.Set();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + Patience;
        while (!seen.IsSet && !process.HasExited && DateTime.UtcNow < deadline)
        {
            seen.Wait(TimeSpan.FromMilliseconds(200));
        }

        Exception? failure = null;
        if (seen.IsSet && !process.HasExited && whileRunning is not null)
        {
            try
            {
                whileRunning().GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        var exited = process.HasExited;
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit();
        var result = new CommandResult($"{command} {string.Join(' ', args)}", exited ? process.ExitCode : 0, Text(output));
        return failure is null ? result : throw new InvalidOperationException($"{failure.Message}\n{result}", failure);
    }

    public static void Check(CommandResult result)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.ToString());
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private Process Start(string workingDirectory, string command, string[] args)
    {
        var info = new ProcessStartInfo(command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The instantiated projects run as on a developer's machine: no KafkaTyped settings from this environment.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("KafkaTyped", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-cache");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build servers left behind by the builds of this test.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{command} did not start");
        process.StandardInput.Close();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
