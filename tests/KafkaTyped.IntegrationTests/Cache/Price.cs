namespace KafkaTyped.IntegrationTests.Cache;

/// <summary>The cache value of the replicated-cache tests: a generated Protobuf message.</summary>
[KafkaMessage]
public sealed partial record Price([Field(1)] string Sku, [Field(2)] long Cents, [Field(3)] string Currency);
