using System.Reflection;
using System.Runtime.InteropServices;

namespace KafkaTyped.Native;

/// <summary>
/// Makes Confluent.Kafka find librdkafka before the first client is built. Every KafkaTyped entry point calls
/// <see cref="EnsureLoaded"/>; call it yourself before creating raw Confluent.Kafka clients in a KafkaTyped process.
/// </summary>
/// <remarks>
/// Order of preference: the library bundled by the real <c>librdkafka.redist</c> package (under
/// <c>runtimes/{rid}/native</c> next to the application), then the operating system's library
/// (<c>librdkafka.so.1</c> on Linux, <c>librdkafka.dylib</c> on macOS). Confluent.Kafka 1.9.3 opens libraries through a
/// P/Invoke into <c>libdl</c>, which glibc 2.34+ only ships as <c>libdl.so.2</c>; the resolver maps it.
/// Thread-safe and idempotent.
/// </remarks>
public static class KafkaNativeLibrary
{
    private static readonly object Gate = new();
    private static IntPtr handle;
    private static string? loadedFrom;

    /// <summary>The path or name librdkafka was loaded from, or null before <see cref="EnsureLoaded"/> succeeded.</summary>
    public static string? LoadedFrom => Volatile.Read(ref loadedFrom);

    /// <summary>Loads librdkafka once for this process and points Confluent.Kafka and KafkaTyped at it.</summary>
    /// <exception cref="KafkaNativeLibraryException">No librdkafka could be loaded; the message names the package to install.</exception>
    public static void EnsureLoaded()
    {
        if (Volatile.Read(ref loadedFrom) is not null)
        {
            return;
        }

        lock (Gate)
        {
            if (loadedFrom is not null)
            {
                return;
            }

            var attempts = new List<string>();
            foreach (var candidate in Candidates())
            {
                if (NativeLibrary.TryLoad(candidate, out var loaded))
                {
                    handle = loaded;
                    InstallResolver(typeof(Confluent.Kafka.Library).Assembly);
                    InstallResolver(typeof(KafkaNativeLibrary).Assembly);

                    // Confluent.Kafka binds its function table on Load; with the resolver in place both the
                    // dlopen it performs and its DllImports land on the library loaded above.
                    Confluent.Kafka.Library.Load(candidate);
                    Volatile.Write(ref loadedFrom, candidate);
                    return;
                }

                attempts.Add(candidate);
            }

            throw new KafkaNativeLibraryException(attempts);
        }
    }

    internal static IEnumerable<string> Candidates()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var baseDir = AppContext.BaseDirectory;

        if (OperatingSystem.IsLinux())
        {
            foreach (var dir in BundledDirectories(baseDir, rid, $"linux-{arch}"))
            {
                yield return Path.Combine(dir, "librdkafka.so");
            }

            yield return "librdkafka.so.1";
            yield return "librdkafka.so";
        }
        else if (OperatingSystem.IsMacOS())
        {
            foreach (var dir in BundledDirectories(baseDir, rid, $"osx-{arch}"))
            {
                yield return Path.Combine(dir, "librdkafka.dylib");
            }

            yield return "librdkafka.dylib";
            yield return "/opt/homebrew/lib/librdkafka.dylib";
            yield return "/usr/local/lib/librdkafka.dylib";
        }
        else if (OperatingSystem.IsWindows())
        {
            foreach (var dir in BundledDirectories(baseDir, rid, $"win-{arch}"))
            {
                yield return Path.Combine(dir, "librdkafka.dll");
            }

            yield return "librdkafka.dll";
        }
    }

    private static IEnumerable<string> BundledDirectories(string baseDir, string rid, string portableRid)
    {
        yield return Path.Combine(baseDir, "runtimes", rid, "native");
        if (!string.Equals(rid, portableRid, StringComparison.Ordinal))
        {
            yield return Path.Combine(baseDir, "runtimes", portableRid, "native");
        }
    }

    private static void InstallResolver(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for this assembly (by the host or an earlier load); leave it in charge.
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName.StartsWith("librdkafka", StringComparison.Ordinal))
        {
            return handle;
        }

        if (string.Equals(libraryName, "libdl", StringComparison.Ordinal) && OperatingSystem.IsLinux())
        {
            // glibc 2.34 merged libdl into libc; only the versioned name exists (Debian 12 has no libdl.so).
            if (NativeLibrary.TryLoad("libdl.so.2", out var libdl) || NativeLibrary.TryLoad("libc.so.6", out libdl))
            {
                return libdl;
            }
        }

        return IntPtr.Zero;
    }
}
