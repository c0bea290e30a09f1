using System.Runtime.CompilerServices;
using KafkaTyped.Protobuf.Tests.Samples;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Protobuf.Tests;

/// <summary>Every generated sample file, and where its checked-in copy (protoc's input) lives.</summary>
internal static class SampleFiles
{
    public static IReadOnlyList<ProtoFile> All { get; } =
    [
        Money.ProtoFile,
        AllScalars.ProtoFile,
        WellKnown.ProtoFile,
        Optionals.ProtoFile,
        Collections.ProtoFile,
        ConvertedCollections.ProtoFile,
        OrderEventsSet.Instance.File,
    ];

    public static string ProtosDirectory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Protos");

    public static bool Update => Environment.GetEnvironmentVariable("KAFKATYPED_UPDATE_BASELINES") == "1";
}
