using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;

namespace KafkaTyped.Embedded.Native;

/// <summary>
/// Loads the one librdkafka of the process: the copy bundled by the <c>librdkafka.redist</c> package that
/// Confluent.Kafka depends on. Every KafkaTyped entry point calls <see cref="EnsureLoaded"/>; call it yourself before
/// creating raw Confluent.Kafka clients in a KafkaTyped process if KafkaTyped has not been touched yet.
/// </summary>
/// <remarks>
/// <para>The package ships several builds per platform (on Linux x64: <c>librdkafka.so</c>, which links the system's
/// <c>libsasl2.so.3</c>; <c>centos8-librdkafka.so</c>, which needs only glibc; <c>alpine-librdkafka.so</c> for musl).
/// The first that loads on this machine is taken, its version is checked against the one Confluent.Kafka was built
/// for, and both Confluent.Kafka's imports and KafkaTyped's (the embedded cluster's <c>rd_kafka_mock_*</c> calls) are
/// resolved to that one handle. No library outside the application's own folder is ever used, unless
/// <see cref="PathVariable"/> names one explicitly; if none loads, <see cref="KafkaNativeLibraryException"/> says
/// which files were tried and why each failed.</para>
/// <para>Thread-safe and idempotent.</para>
/// </remarks>
public static class KafkaNativeLibrary
{
    /// <summary>The environment variable that names a librdkafka file to load instead of the bundled one.</summary>
    public const string PathVariable = "KAFKATYPED_LIBRDKAFKA_PATH";

    private static readonly object Gate = new();
    private static IntPtr handle;
    private static string? loadedFrom;
    private static string? version;

    /// <summary>The full path of the librdkafka file in use, or null before <see cref="EnsureLoaded"/> succeeded.</summary>
    public static string? LoadedFrom => Volatile.Read(ref loadedFrom);

    /// <summary>The version librdkafka reports (<c>rd_kafka_version_str</c>), or null before <see cref="EnsureLoaded"/> succeeded.</summary>
    public static string? Version => Volatile.Read(ref version);

    /// <summary>Loads librdkafka once for this process and points Confluent.Kafka and KafkaTyped at it.</summary>
    /// <exception cref="KafkaNativeLibraryException">No bundled librdkafka loads here, or the one that loads is not the expected version.</exception>
    // Confluent.Kafka binds librdkafka by finding its P/Invoke methods through reflection (Librdkafka.SetDelegates, by
    // name, over these classes), which trimming and Native AOT would remove: kept here, because every KafkaTyped entry
    // point comes through this method (confluent-kafka-dotnet #2146). A renamed class shows up as warning IL2036 when
    // publishing for AOT, which eng/aot.sh fails on.
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods, "Confluent.Kafka.Impl.NativeMethods.NativeMethods", "Confluent.Kafka")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods, "Confluent.Kafka.Impl.NativeMethods.NativeMethods_Centos8", "Confluent.Kafka")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods, "Confluent.Kafka.Impl.NativeMethods.NativeMethods_Alpine", "Confluent.Kafka")]
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

            var failures = new List<KeyValuePair<string, string>>();
            foreach (var candidate in Candidates())
            {
                if (!File.Exists(candidate))
                {
                    continue;
                }

                IntPtr loaded;
                try
                {
                    loaded = NativeLibrary.Load(candidate);
                }
                catch (DllNotFoundException e)
                {
                    // The message carries the loader's reason, for example a missing libsasl2.so.3.
                    failures.Add(new(candidate, e.Message));
                    continue;
                }
                catch (BadImageFormatException e)
                {
                    failures.Add(new(candidate, e.Message));
                    continue;
                }

                var loadedVersion = ReadVersion(loaded);
                if (!IsExpectedVersion(loadedVersion, out var expected))
                {
                    failures.Add(new(candidate, $"it is librdkafka {loadedVersion}, but Confluent.Kafka {expected} needs librdkafka {expected} or newer"));
                    NativeLibrary.Free(loaded);
                    continue;
                }

                handle = loaded;
                InstallResolver(typeof(Confluent.Kafka.Library).Assembly);
                InstallResolver(typeof(KafkaNativeLibrary).Assembly);
                Volatile.Write(ref version, loadedVersion);
                Volatile.Write(ref loadedFrom, candidate);
                return;
            }

            throw new KafkaNativeLibraryException(failures, SearchedDirectories());
        }
    }

    /// <summary>The files tried, in order: <see cref="PathVariable"/> if set, else the package's builds for this platform.</summary>
    internal static IEnumerable<string> Candidates()
    {
        var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            yield return Path.GetFullPath(explicitPath);
            yield break;
        }

        foreach (var directory in SearchedDirectories())
        {
            foreach (var file in FileNames())
            {
                yield return Path.Combine(directory, file);
            }
        }
    }

    /// <summary>
    /// Where the package's native files are: <c>runtimes/{rid}/native</c> under the application folder for a
    /// framework-dependent build, or the application folder itself for a build published for one runtime identifier.
    /// </summary>
    internal static IEnumerable<string> SearchedDirectories()
    {
        var baseDir = AppContext.BaseDirectory;
        var rid = RuntimeInformation.RuntimeIdentifier;
        var portableRid = PortableRuntimeIdentifier();
        yield return Path.Combine(baseDir, "runtimes", rid, "native");
        if (!string.Equals(rid, portableRid, StringComparison.Ordinal))
        {
            yield return Path.Combine(baseDir, "runtimes", portableRid, "native");
        }

        yield return baseDir;
    }

    private static IEnumerable<string> FileNames()
    {
        if (OperatingSystem.IsWindows())
        {
            yield return "librdkafka.dll";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "librdkafka.dylib";
        }
        else if (IsMusl())
        {
            yield return "alpine-librdkafka.so";
            yield return "librdkafka.so";
        }
        else
        {
            // The same order as Confluent.Kafka's own loader: the full build first, then the one with fewer dependencies.
            yield return "librdkafka.so";
            yield return "centos8-librdkafka.so";
        }
    }

    private static string PortableRuntimeIdentifier()
    {
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : IsMusl() ? "linux-musl" : "linux";
        return $"{os}-{arch}";
    }

    private static bool IsMusl() =>
        OperatingSystem.IsLinux() && RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);

    private static unsafe string ReadVersion(IntPtr library)
    {
        if (!NativeLibrary.TryGetExport(library, "rd_kafka_version_str", out var export))
        {
            return "unknown (no rd_kafka_version_str)";
        }

        var versionString = ((delegate* unmanaged[Cdecl]<IntPtr>)export)();
        return Marshal.PtrToStringUTF8(versionString) ?? "unknown";
    }

    /// <summary>The library must be at least the major.minor of the Confluent.Kafka assembly (they are released together).</summary>
    private static bool IsExpectedVersion(string loadedVersion, out string expected)
    {
        var client = typeof(Confluent.Kafka.Library).Assembly.GetName().Version ?? new Version(2, 0);
        expected = $"{client.Major}.{client.Minor}";
        var numeric = loadedVersion.Split('-', '+')[0];
        return System.Version.TryParse(numeric, out var parsed)
               && (parsed.Major > client.Major || (parsed.Major == client.Major && parsed.Minor >= client.Minor));
    }

    private static void InstallResolver(Assembly assembly)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for this assembly (by the host); it decides, and Confluent.Kafka's version
            // check still refuses a library that is too old.
        }
    }

    // Confluent.Kafka imports the same functions under three library names (librdkafka, centos8-librdkafka,
    // alpine-librdkafka) and tries them in turn; all of them, and KafkaTyped's own imports, get the checked handle.
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName.Contains("librdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero;
}
