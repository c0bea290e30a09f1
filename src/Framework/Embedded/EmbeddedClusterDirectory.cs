using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace KafkaTyped.Embedded;

/// <summary>
/// A per-machine directory of the embedded clusters alive on this machine, so that a process joining another
/// process's embedded cluster (through its bootstrap list) recognises it and applies the embedded client tuning and
/// finds its embedded Schema Registry. One small JSON file per broker address under
/// <c>{temp}/kafkatyped/embedded/</c>, written by the process that hosts the cluster and removed when it stops; a file
/// whose process is gone (killed) is ignored and removed by the next reader.
/// </summary>
/// <remarks>
/// <para>It also keeps each live cluster's roster of consumer groups (<see cref="RecordGroup"/>, <see cref="Groups"/>):
/// librdkafka's mock serves no ListGroups, so the processes that run a group on the cluster — the host or a joiner —
/// write it down, and tools such as <c>kafkatyped groups list</c> read it. A roster lives under
/// <c>groups/{address}-{host process id}/</c>, so a new cluster on a reused port never sees an old cluster's groups; it
/// is removed with the cluster's records.</para>
/// <para>Best effort: when the directory cannot be written (permissions, read-only temp), joiners simply do not get
/// the tuning, as before, and the roster stays empty. Thread-safe.</para>
/// </remarks>
internal static class EmbeddedClusterDirectory
{
    internal static string DirectoryPath { get; } = Path.Combine(Path.GetTempPath(), "kafkatyped", "embedded");

    /// <summary>Records the cluster (and its registry URL, when one runs) under each of its broker addresses.</summary>
    public static void Publish(string bootstrapServers, string? registryUrl)
    {
        try
        {
            Directory.CreateDirectory(DirectoryPath);
            var json = Serialize(new PublishedCluster(bootstrapServers, Environment.ProcessId, registryUrl));
            foreach (var address in Addresses(bootstrapServers))
            {
                var file = FileFor(address);
                var temporary = file + "." + Environment.ProcessId + ".tmp";
                File.WriteAllBytes(temporary, json);
                File.Move(temporary, file, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Joiners then run without the embedded tuning; the cluster itself works.
        }
    }

    /// <summary>Removes the cluster's records, if this process wrote them.</summary>
    public static void Unpublish(string bootstrapServers)
    {
        foreach (var address in Addresses(bootstrapServers))
        {
            try
            {
                var file = FileFor(address);
                if (Read(file) is { ProcessId: var owner } && owner == Environment.ProcessId)
                {
                    File.Delete(file);
                    TryDeleteDirectory(RosterPath(address, owner));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Finds a live embedded cluster on this machine that one of <paramref name="bootstrapServers"/>' addresses belongs to.</summary>
    public static PublishedCluster? Find(string? bootstrapServers)
    {
        if (string.IsNullOrWhiteSpace(bootstrapServers))
        {
            return null;
        }

        foreach (var address in Addresses(bootstrapServers))
        {
            var file = FileFor(address);
            PublishedCluster? published;
            try
            {
                published = File.Exists(file) ? Read(file) : null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (published is null)
            {
                continue;
            }

            if (IsAlive(published.ProcessId))
            {
                return published;
            }

            TryDelete(file);
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="groupId"/> into the roster of the live embedded cluster <paramref name="bootstrapServers"/>
    /// points at (hosted here or by another process). Does nothing for a cluster that is not embedded.
    /// </summary>
    public static void RecordGroup(string? bootstrapServers, string groupId)
    {
        if (Find(bootstrapServers) is not { } cluster)
        {
            return;
        }

        try
        {
            var roster = RosterPath(Addresses(cluster.BootstrapServers).First(), cluster.ProcessId);
            Directory.CreateDirectory(roster);
            var file = Path.Combine(roster, RosterFileName(groupId));
            if (!File.Exists(file))
            {
                var temporary = file + "." + Environment.ProcessId + ".tmp";
                File.WriteAllText(temporary, groupId, Encoding.UTF8);
                File.Move(temporary, file, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The group runs; only tools listing groups do not see it.
        }
    }

    /// <summary>The consumer groups recorded for the live embedded cluster <paramref name="bootstrapServers"/> points at, ordered.</summary>
    public static IReadOnlyList<string> Groups(string? bootstrapServers)
    {
        if (Find(bootstrapServers) is not { } cluster)
        {
            return [];
        }

        var roster = RosterPath(Addresses(cluster.BootstrapServers).First(), cluster.ProcessId);
        var groups = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var file in Directory.EnumerateFiles(roster, "*.group"))
            {
                var id = File.ReadAllText(file, Encoding.UTF8);
                if (id.Length > 0)
                {
                    groups.Add(id);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No roster yet (no group has run), or it cannot be read: no groups known.
        }

        return [.. groups];
    }

    /// <summary>The <c>host:port</c> entries of a bootstrap list, with <c>localhost</c> read as 127.0.0.1 (the mock's listeners).</summary>
    internal static IEnumerable<string> Addresses(string bootstrapServers)
    {
        foreach (var entry in bootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = entry;
            var scheme = address.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0)
            {
                address = address[(scheme + 3)..];
            }

            if (address.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
            {
                address = "127.0.0.1" + address["localhost".Length..];
            }

            yield return address;
        }
    }

    private static string FileFor(string address) => Path.Combine(DirectoryPath, SafeName(address) + ".json");

    private static string RosterPath(string address, int hostProcessId) =>
        Path.Combine(DirectoryPath, "groups", SafeName(address) + "-" + hostProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // Group ids may hold any character: the file is named by a hash of the id and holds the id itself.
    private static string RosterFileName(string groupId) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(groupId)), 0, 16) + ".group";

    private static string SafeName(string address)
    {
        var name = new StringBuilder(address.Length);
        foreach (var c in address)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '_');
        }

        return name.ToString();
    }

    private static bool IsAlive(int processId)
    {
        if (processId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing recorded, or already gone.
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static byte[] Serialize(PublishedCluster cluster)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("bootstrapServers", cluster.BootstrapServers);
            writer.WriteNumber("processId", cluster.ProcessId);
            if (cluster.RegistryUrl is not null)
            {
                writer.WriteString("registryUrl", cluster.RegistryUrl);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static PublishedCluster? Read(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            var bootstrap = root.GetProperty("bootstrapServers").GetString();
            var processId = root.GetProperty("processId").GetInt32();
            var registry = root.TryGetProperty("registryUrl", out var url) ? url.GetString() : null;
            return bootstrap is null ? null : new PublishedCluster(bootstrap, processId, registry);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or FileNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>An embedded cluster published by a process on this machine.</summary>
/// <param name="BootstrapServers">The cluster's full bootstrap list.</param>
/// <param name="ProcessId">The process hosting it.</param>
/// <param name="RegistryUrl">Its embedded Schema Registry, when one runs.</param>
internal sealed record PublishedCluster(string BootstrapServers, int ProcessId, string? RegistryUrl);
