using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KafkaTyped.Cli.Adapters;

namespace KafkaTyped.Cli.Kafka;

/// <summary>
/// Where <c>kafkatyped dev</c> publishes its control endpoint: one small JSON file per broker address under
/// <c>{temp}/kafkatyped/control/</c> (bootstrap list, process id, control and registry URLs), removed when it stops. A
/// command pointed at those addresses finds the endpoint and creates or deletes topics and lists groups through it;
/// records of a process that is gone are ignored.
/// </summary>
internal static class ControlDirectory
{
    internal sealed record Entry(string BootstrapServers, int ProcessId, string ControlUrl, string? RegistryUrl);

    private static string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "kafkatyped", "control");

    public static void Publish(IEnumerable<string> bootstrapLists, Entry entry)
    {
        Directory.CreateDirectory(DirectoryPath);
        var json = new JsonObject
        {
            ["bootstrapServers"] = entry.BootstrapServers,
            ["processId"] = entry.ProcessId,
            ["controlUrl"] = entry.ControlUrl,
            ["registryUrl"] = entry.RegistryUrl,
        }.ToJsonString();
        foreach (var address in bootstrapLists.SelectMany(EmbeddedDirectory.Addresses).Distinct(StringComparer.Ordinal))
        {
            var file = FileFor(address);
            var temporary = file + "." + Environment.ProcessId + ".tmp";
            File.WriteAllBytes(temporary, Encoding.UTF8.GetBytes(json));
            File.Move(temporary, file, overwrite: true);
        }
    }

    public static void Unpublish(IEnumerable<string> bootstrapLists)
    {
        foreach (var address in bootstrapLists.SelectMany(EmbeddedDirectory.Addresses).Distinct(StringComparer.Ordinal))
        {
            try
            {
                var file = FileFor(address);
                if (Read(file) is { ProcessId: var owner } && owner == Environment.ProcessId)
                {
                    File.Delete(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>The live control endpoint serving one of <paramref name="bootstrapServers"/>' addresses, or null.</summary>
    public static Entry? Find(string bootstrapServers)
    {
        foreach (var address in EmbeddedDirectory.Addresses(bootstrapServers))
        {
            if (Read(FileFor(address)) is { } entry && EmbeddedDirectory.IsAlive(entry.ProcessId))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>Every live <c>kafkatyped dev</c> on this machine.</summary>
    public static IReadOnlyList<Entry> ListLive()
    {
        if (!Directory.Exists(DirectoryPath))
        {
            return [];
        }

        return Directory.GetFiles(DirectoryPath, "*.json")
            .Select(Read)
            .Where(e => e is not null && EmbeddedDirectory.IsAlive(e.ProcessId))
            .Select(e => e!)
            .DistinctBy(e => e.ProcessId)
            .ToList();
    }

    private static string FileFor(string address)
    {
        var name = new StringBuilder(address.Length);
        foreach (var c in address)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '_');
        }

        return Path.Combine(DirectoryPath, name.Append(".json").ToString());
    }

    private static Entry? Read(string file)
    {
        try
        {
            if (!File.Exists(file))
            {
                return null;
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            return new Entry(
                root.GetProperty("bootstrapServers").GetString()!,
                root.GetProperty("processId").GetInt32(),
                root.GetProperty("controlUrl").GetString()!,
                root.TryGetProperty("registryUrl", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
