namespace KafkaTyped.SchemaRegistry;

/// <summary>The registry's names of schema types, shared by the client (<c>Schema</c>) and the embedded registry.</summary>
internal static class SchemaTypes
{
    public const string Protobuf = "PROTOBUF";

    public const string Avro = "AVRO";
}
