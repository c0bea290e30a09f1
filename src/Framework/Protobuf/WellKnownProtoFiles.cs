using Google.Protobuf.WellKnownTypes;

namespace KafkaTyped.GeneratedCode;

/// <summary>The Google well-known files that generated schemas import. Schema Registries have them built in.</summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class WellKnownProtoFiles
{
    /// <summary><c>google/protobuf/timestamp.proto</c>.</summary>
    public static ProtoFile Timestamp { get; } = new(
        "google/protobuf/timestamp.proto",
        "google.protobuf",
        "syntax = \"proto3\";\n\npackage google.protobuf;\n\nmessage Timestamp {\n  int64 seconds = 1;\n  int32 nanos = 2;\n}\n",
        TimestampReflection.Descriptor.SerializedData.ToByteArray(),
        []);

    /// <summary><c>google/protobuf/duration.proto</c>.</summary>
    public static ProtoFile Duration { get; } = new(
        "google/protobuf/duration.proto",
        "google.protobuf",
        "syntax = \"proto3\";\n\npackage google.protobuf;\n\nmessage Duration {\n  int64 seconds = 1;\n  int32 nanos = 2;\n}\n",
        DurationReflection.Descriptor.SerializedData.ToByteArray(),
        []);
}
