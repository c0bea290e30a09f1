using System.Runtime.InteropServices;
using KafkaTyped.Embedded.Native;

namespace KafkaTyped.Tests.Native;

public sealed class KafkaNativeLibraryTests
{
    [Fact]
    public void Loads_the_bundled_librdkafka_of_the_version_confluent_kafka_was_built_for()
    {
        KafkaNativeLibrary.EnsureLoaded();
        KafkaNativeLibrary.EnsureLoaded();

        var loadedFrom = KafkaNativeLibrary.LoadedFrom!;
        Assert.StartsWith(AppContext.BaseDirectory, loadedFrom, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("runtimes", "linux-x64", "native"), loadedFrom, StringComparison.Ordinal);
        Assert.Equal("2.16.0", KafkaNativeLibrary.Version);
        Assert.Equal("2.16.0", Confluent.Kafka.Library.VersionString);
    }

    [Fact]
    public void Confluent_kafka_and_the_embedded_cluster_use_one_library_file()
    {
        using var cluster = KafkaTyped.Embedded.EmbeddedKafkaCluster.Start(brokerCount: 1);
        using var producer = new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build();

        // Every librdkafka image mapped into this process (Linux): exactly one file, the one that was checked.
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length >= 6 && parts[5].Contains("librdkafka", StringComparison.Ordinal))
            .Select(parts => parts[5])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Equal([KafkaNativeLibrary.LoadedFrom!], mapped);
    }

    [Fact]
    public void Candidates_are_only_the_package_builds_in_the_application_folder()
    {
        var candidates = KafkaNativeLibrary.Candidates().ToList();

        Assert.NotEmpty(candidates);
        Assert.All(candidates, c => Assert.StartsWith(AppContext.BaseDirectory, c, StringComparison.Ordinal));
        Assert.DoesNotContain(candidates, c => c.EndsWith(".so.1", StringComparison.Ordinal)); // never the OS library
        var full = candidates.FindIndex(c => c.EndsWith(Path.Combine("linux-x64", "native", "librdkafka.so"), StringComparison.Ordinal));
        var centos8 = candidates.FindIndex(c => c.EndsWith(Path.Combine("linux-x64", "native", "centos8-librdkafka.so"), StringComparison.Ordinal));
        Assert.True(full >= 0 && full < centos8, string.Join(", ", candidates));
    }

    [Fact]
    public void The_failure_names_each_file_its_reason_and_the_fix()
    {
        var error = new KafkaNativeLibraryException(
            [new("/app/runtimes/linux-x64/native/librdkafka.so", "libsasl2.so.3: cannot open shared object file")],
            ["/app/runtimes/linux-x64/native"]);

        Assert.Contains("/app/runtimes/linux-x64/native/librdkafka.so (libsasl2.so.3: cannot open shared object file)", error.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka.redist", error.Message, StringComparison.Ordinal);
        Assert.Contains($"dotnet publish -r {RuntimeInformation.RuntimeIdentifier}", error.Message, StringComparison.Ordinal);
    }
}
