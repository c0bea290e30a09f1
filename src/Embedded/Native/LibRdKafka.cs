using System.Runtime.InteropServices;

namespace KafkaTyped.Embedded.Native;

/// <summary>
/// The few librdkafka functions KafkaTyped calls itself (besides the mock cluster's): configuration objects, to check
/// settings before any client is built. Bound to the one library <see cref="KafkaNativeLibrary"/> loaded.
/// </summary>
internal static partial class LibRdKafka
{
    private const string Lib = "librdkafka";

    internal const int ConfOk = 0;

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_new")]
    internal static partial IntPtr ConfNew();

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ConfSet(IntPtr conf, string name, string value, byte[] errstr, UIntPtr errstrSize);

    [LibraryImport(Lib, EntryPoint = "rd_kafka_conf_destroy")]
    internal static partial void ConfDestroy(IntPtr conf);

    /// <summary>The text librdkafka wrote into an error buffer.</summary>
    internal static string ReadError(byte[] errstr)
    {
        var end = Array.IndexOf(errstr, (byte)0);
        return System.Text.Encoding.UTF8.GetString(errstr, 0, end < 0 ? errstr.Length : end);
    }
}
