using System.Runtime.InteropServices;

namespace KafkaTyped.Embedded.Native;

/// <summary>Thrown when the librdkafka native library cannot be loaded; the message says which files were tried, why each failed, and what to do.</summary>
public sealed class KafkaNativeLibraryException : Exception
{
    /// <summary>Creates the exception for the files that were tried (path and the loader's reason) in the folders searched.</summary>
    public KafkaNativeLibraryException(IReadOnlyList<KeyValuePair<string, string>> failures, IEnumerable<string> searchedDirectories)
        : base(BuildMessage(failures, searchedDirectories.ToList()))
    {
        Failures = failures;
    }

    /// <summary>The files that were tried, in order, each with the reason it could not be used.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Failures { get; }

    private static string BuildMessage(IReadOnlyList<KeyValuePair<string, string>> failures, IReadOnlyList<string> searched)
    {
        var explicitPath = Environment.GetEnvironmentVariable(KafkaNativeLibrary.PathVariable);
        var where = !string.IsNullOrWhiteSpace(explicitPath)
            ? $"{KafkaNativeLibrary.PathVariable} names '{explicitPath}'"
            : $"searched {string.Join(", ", searched)}";
        var tried = failures.Count == 0
            ? "No librdkafka file was found there."
            : "Tried: " + string.Join("; ", failures.Select(f => $"{f.Key} ({f.Value})")) + ".";
        var fix = !string.IsNullOrWhiteSpace(explicitPath)
            ? $"Unset {KafkaNativeLibrary.PathVariable} to use the library bundled with the application, or point it at librdkafka of the version Confluent.Kafka needs."
            : "The librdkafka.redist package (a dependency of Confluent.Kafka) copies librdkafka to runtimes/<rid>/native in the build output; "
              + "make sure that folder is deployed with the application, or publish for this runtime identifier "
              + $"(dotnet publish -r {RuntimeInformation.RuntimeIdentifier}).";
        return $"KafkaTyped could not load the librdkafka native library for {RuntimeInformation.RuntimeIdentifier}: {where}. {tried} {fix}";
    }
}
