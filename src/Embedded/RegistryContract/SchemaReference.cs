namespace KafkaTyped.SchemaRegistry;

/// <summary>A reference from a schema to an imported file registered under another subject.</summary>
/// <param name="Name">The import name, for example <c>common/money.proto</c>.</param>
/// <param name="Subject">The subject it is registered under (KafkaTyped uses the file name).</param>
/// <param name="Version">The version under that subject.</param>
public sealed record SchemaReference(string Name, string Subject, int Version);
