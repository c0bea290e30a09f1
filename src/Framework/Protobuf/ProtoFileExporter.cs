using System.Text;

namespace KafkaTyped.GeneratedCode;

/// <summary>
/// Writes generated <c>.proto</c> files to disk, so other languages can consume the topics:
/// <c>ProtoFileExporter.Export(KafkaTyped.Generated.ProtoSchemas.Files, "protos")</c>.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class ProtoFileExporter
{
    /// <summary>
    /// Writes each file, and every file it imports, under <paramref name="directory"/> at its import path
    /// (<c>shop/orders/order_events.proto</c>). Google's well-known files are skipped unless asked for, since every
    /// protoc installation and Schema Registry has them.
    /// </summary>
    /// <returns>The full paths written, in write order.</returns>
    public static IReadOnlyList<string> Export(IEnumerable<ProtoFile> files, string directory, bool includeWellKnown = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        string root = Path.GetFullPath(directory);
        var written = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ProtoFile file in files)
        {
            Write(file, root, includeWellKnown, seen, written);
        }

        return written;
    }

    private static void Write(ProtoFile file, string root, bool includeWellKnown, HashSet<string> seen, List<string> written)
    {
        if (!seen.Add(file.Name) || (file.IsWellKnown && !includeWellKnown))
        {
            return;
        }

        foreach (ProtoFile dependency in file.Dependencies)
        {
            Write(dependency, root, includeWellKnown, seen, written);
        }

        string path = Path.GetFullPath(Path.Combine(root, file.Name));
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The proto file name '{file.Name}' points outside '{root}'.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, file.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        written.Add(path);
    }
}
