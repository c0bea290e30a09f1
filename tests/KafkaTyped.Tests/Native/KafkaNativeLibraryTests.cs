using KafkaTyped.Native;

namespace KafkaTyped.Tests.Native;

public sealed class KafkaNativeLibraryTests
{
    [Fact]
    public void Loads_the_os_library_when_no_bundled_copy_is_present()
    {
        KafkaNativeLibrary.EnsureLoaded();
        KafkaNativeLibrary.EnsureLoaded();

        Assert.Equal("librdkafka.so.1", KafkaNativeLibrary.LoadedFrom);
        Assert.StartsWith("2.", Confluent.Kafka.Library.VersionString, StringComparison.Ordinal);
    }

    [Fact]
    public void Prefers_a_bundled_library_over_the_os_one()
    {
        var candidates = KafkaNativeLibrary.Candidates().ToList();
        var bundled = candidates.FindIndex(c => c.Contains(Path.Combine("runtimes", "linux-x64", "native"), StringComparison.Ordinal));
        var os = candidates.IndexOf("librdkafka.so.1");

        Assert.True(bundled >= 0, string.Join(", ", candidates));
        Assert.True(bundled < os);
    }

    [Fact]
    public void The_failure_names_the_package_to_install()
    {
        var error = new KafkaNativeLibraryException(["librdkafka.so.1", "librdkafka.so"]);

        Assert.Contains("apt-get install librdkafka1", error.Message, StringComparison.Ordinal);
        Assert.Contains("librdkafka.so.1, librdkafka.so", error.Message, StringComparison.Ordinal);
    }
}
