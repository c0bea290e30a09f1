using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace KafkaTyped.Cli.Tests.Infrastructure;

/// <summary>The result of one <c>kafkatyped</c> run.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonNode Json => JsonNode.Parse(Stdout) ?? throw new InvalidOperationException("stdout is JSON null");

    public IReadOnlyList<JsonObject> JsonLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// The tool as users get it: <c>dotnet pack</c> of src/Cli into a temporary folder, then <c>dotnet tool install
/// --tool-path … --add-source …</c>, done once for the test run; every test runs the installed <c>kafkatyped</c> as a
/// process, from an empty folder (no appsettings.json) and without KafkaTyped__* variables.
/// </summary>
public static class Tool
{
    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    static Tool()
    {
        // The packed tool, its install and the private package cache take tens of megabytes: leave none behind.
        AppDomain.CurrentDomain.ProcessExit += static (_, _) =>
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        };
    }

    /// <summary>Where the test run keeps its files (removed when the test process exits).</summary>
    public static string Root { get; } = Directory.CreateTempSubdirectory("kafkatyped-cli-tests-").FullName;

    /// <summary>The installed command.</summary>
    public static string Command => Installed.Value;

    /// <summary>This test assembly (a KafkaTyped application) for <c>--assembly</c>.</summary>
    public static string TestAssembly => typeof(Tool).Assembly.Location;

    /// <summary>The folder commands run in.</summary>
    public static string WorkingDirectory { get; } = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;

    public static async Task<CliResult> RunAsync(string[] args, string? stdin = null, string? workingDirectory = null)
    {
        using var process = Start(args, workingDirectory, redirectInput: stdin is not null);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        // A guard against a hung command, not a timing assertion.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kafkatyped {string.Join(' ', args)} did not finish: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string[] args, string? workingDirectory = null, bool redirectInput = false)
    {
        // Through `env --default-signal=INT`, which execs the tool in its own process: a test run started in the
        // background by a non-interactive shell (nohup ./test.sh &) hands SIGINT down ignored, and .NET keeps an ignored
        // SIGINT ignored, so Ctrl-C (Interrupt) would never reach the tool.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(Command);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("KafkaTyped", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_ROOT"] = DotnetRoot();
        info.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(info) ?? throw new InvalidOperationException("kafkatyped did not start");
    }

    /// <summary>Sends SIGINT, as Ctrl-C does.</summary>
    public static void Interrupt(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
    }

    private static string Install()
    {
        var repository = RepositoryRoot();
        var packages = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        var tools = Path.Combine(Root, "tools");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        Dotnet(repository, privateCache: false, "pack", Path.Combine(repository, "src", "Cli", "KafkaTyped.Cli.csproj"), "-c", configuration, "--no-build", "-o", packages);

        // Only the packed folder as a source, and a private package cache, so an older KafkaTyped.Cli never answers.
        var config = Path.Combine(Root, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        Dotnet(Root, privateCache: true, "tool", "install", "KafkaTyped.Cli", "--tool-path", tools, "--add-source", packages, "--configfile", config);
        var command = Path.Combine(tools, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "kafkatyped.exe" : "kafkatyped");
        return File.Exists(command) ? command : throw new InvalidOperationException($"dotnet tool install did not create {command}");
    }

    private static void Dotnet(string workingDirectory, bool privateCache, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (privateCache)
        {
            info.Environment["NUGET_PACKAGES"] = Path.Combine(Root, "nuget-cache");
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed ({process.ExitCode}): {stdout.Result}{stderr}");
        }
    }

    private static string DotnetRoot()
    {
        // .../shared/Microsoft.NETCore.App/<version>/ → the dotnet root three levels up.
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        return Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
