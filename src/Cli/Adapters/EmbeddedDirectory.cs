using System.Text.Json;
using KafkaTyped.Embedded;

namespace KafkaTyped.Cli.Adapters;

/// <summary>
/// The CLI's view of the per-machine directory in which processes publish the embedded clusters they host
/// (docs/embedded-cluster.md, "Other processes joining it"). This folder is the only place that touches KafkaTyped's
/// internals, so a rename in src/Framework is a local fix here.
/// </summary>
internal static class EmbeddedDirectory
{
    /// <summary>A live embedded cluster published on this machine.</summary>
    internal sealed record Published(string BootstrapServers, int ProcessId, string? RegistryUrl);

    /// <summary>The published cluster that one of <paramref name="bootstrapServers"/>' addresses belongs to, or null.</summary>
    public static Published? Find(string? bootstrapServers) =>
        EmbeddedClusterDirectory.Find(bootstrapServers) is { } found ? new Published(found.BootstrapServers, found.ProcessId, found.RegistryUrl) : null;

    /// <summary>Publishes a cluster (for example under the fixed addresses that <c>kafkatyped dev</c> forwards).</summary>
    public static void Publish(string bootstrapServers, string? registryUrl) => EmbeddedClusterDirectory.Publish(bootstrapServers, registryUrl);

    /// <summary>Withdraws what <see cref="Publish"/> wrote.</summary>
    public static void Unpublish(string bootstrapServers) => EmbeddedClusterDirectory.Unpublish(bootstrapServers);

    /// <summary>Writes a consumer group into the roster of the embedded cluster <paramref name="bootstrapServers"/> points at.</summary>
    public static void RecordGroup(string bootstrapServers, string groupId) => EmbeddedClusterDirectory.RecordGroup(bootstrapServers, groupId);

    /// <summary>The consumer groups run on the embedded cluster <paramref name="bootstrapServers"/> points at, by any process.</summary>
    public static IReadOnlyList<string> Groups(string bootstrapServers) => EmbeddedClusterDirectory.Groups(bootstrapServers);

    /// <summary>The host:port entries of a bootstrap list, as the directory keys them.</summary>
    public static IReadOnlyList<string> Addresses(string bootstrapServers) => EmbeddedClusterDirectory.Addresses(bootstrapServers).ToList();

    /// <summary>Every live embedded cluster published on this machine, one per hosting process and bootstrap list.</summary>
    public static IReadOnlyList<Published> ListLive()
    {
        var result = new List<Published>();
        string[] files;
        try
        {
            files = Directory.Exists(EmbeddedClusterDirectory.DirectoryPath) ? Directory.GetFiles(EmbeddedClusterDirectory.DirectoryPath, "*.json") : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            string? bootstrap;
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(file));
                bootstrap = document.RootElement.TryGetProperty("bootstrapServers", out var b) ? b.GetString() : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
            {
                continue;
            }

            if (bootstrap is null || !seen.Add(bootstrap))
            {
                continue;
            }

            // Find checks that the hosting process is alive (and removes records of killed ones).
            if (Find(bootstrap) is { } live && string.Equals(live.BootstrapServers, bootstrap, StringComparison.Ordinal))
            {
                result.Add(live);
            }
        }

        return result;
    }
}
