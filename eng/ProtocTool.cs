// Compiled into every project that imports eng/Protoc.targets.
using System.Diagnostics;
using System.Reflection;

namespace KafkaTyped.Testing.Protoc;

/// <summary>
/// protoc from the Google.Protobuf.Tools package, as eng/Protoc.targets resolved it at build time: tests that compare
/// KafkaTyped's output with protoc's run it through here, never through a protoc on the PATH.
/// </summary>
internal static class ProtocTool
{
    /// <summary>The protoc executable.</summary>
    public static string Path => Metadata("KafkaTyped.Protoc");

    /// <summary>The folder that holds google/protobuf/*.proto (the well-known types); pass it with -I.</summary>
    public static string IncludeDirectory => Metadata("KafkaTyped.ProtocInclude");

    /// <summary>Runs protoc with the well-known types on the import path, feeding <paramref name="stdin"/>; returns stdout.</summary>
    /// <exception cref="InvalidOperationException">protoc failed; the message carries its standard error.</exception>
    public static byte[] Run(IEnumerable<string> arguments, byte[]? stdin = null)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("-I");
        start.ArgumentList.Add(IncludeDirectory);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"protoc did not start ({Path}).");
        var errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            throw new InvalidOperationException($"protoc {string.Join(' ', start.ArgumentList)} did not finish in 120 s.");
        }

        copy.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"protoc {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {errors.GetAwaiter().GetResult()}");
        }

        return output.ToArray();
    }

    private static string Metadata(string key) =>
        typeof(ProtocTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"The assembly has no '{key}' metadata; import eng/Protoc.targets in its project.");
}
