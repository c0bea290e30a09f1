using System.Runtime.InteropServices;

namespace KafkaTyped.Native;

/// <summary>Thrown when no librdkafka native library can be loaded; the message says what to install.</summary>
public sealed class KafkaNativeLibraryException : Exception
{
    /// <summary>Creates the exception for the candidate paths that were tried.</summary>
    public KafkaNativeLibraryException(IReadOnlyList<string> triedCandidates)
        : base(BuildMessage(triedCandidates))
    {
        TriedCandidates = triedCandidates;
    }

    /// <summary>The library names and paths that were tried, in order.</summary>
    public IReadOnlyList<string> TriedCandidates { get; }

    private static string BuildMessage(IReadOnlyList<string> tried)
    {
        var fix = OperatingSystem.IsMacOS()
            ? "Install it with 'brew install librdkafka'."
            : OperatingSystem.IsWindows()
                ? "Reference the librdkafka.redist package from the public NuGet source so its librdkafka.dll is copied to the output."
                : "Install it with 'sudo apt-get install librdkafka1' (Debian/Ubuntu) or 'sudo dnf install librdkafka' (Fedora/RHEL).";
        return $"KafkaTyped could not load the librdkafka native library ({RuntimeInformation.RuntimeIdentifier}). " +
               $"{fix} Tried: {string.Join(", ", tried)}.";
    }
}
