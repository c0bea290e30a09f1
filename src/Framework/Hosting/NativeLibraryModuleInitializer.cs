using System.Runtime.CompilerServices;

using KafkaTyped.Embedded.Native;

namespace KafkaTyped.Hosting;

/// <summary>
/// Points Confluent.Kafka at librdkafka as soon as the KafkaTyped assembly is first used, so raw Confluent.Kafka
/// clients created next to KafkaTyped work too. A failure is left for <see cref="KafkaNativeLibrary.EnsureLoaded"/>
/// to report with its clear message: throwing here would surface as a TypeInitializationException instead.
/// </summary>
internal static class NativeLibraryModuleInitializer
{
#pragma warning disable CA2255 // A library module initializer is intended here: it only prepares native loading.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        try
        {
            KafkaNativeLibrary.EnsureLoaded();
        }
        catch (KafkaNativeLibraryException)
        {
            // Reported by the first KafkaTyped call that needs the library.
        }
    }
}
