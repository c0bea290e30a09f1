using KafkaTyped;

// Two versions of one message, as two deployments would declare them. Version 2 removed field 3 (reserved it), renamed
// field 2 and added fields 4-6. The names differ only so both can live in one test assembly; the wire ignores names.
namespace KafkaTyped.Protobuf.Tests.Evolution.V1
{
    [KafkaMessage(Name = "CustomerV1")]
    public sealed partial record Customer(
        [Field(1)] string Id,
        [Field(2)] string Name,
        [Field(3)] int LegacyScore);
}

namespace KafkaTyped.Protobuf.Tests.Evolution.V2
{
    [KafkaMessage(Name = "CustomerV2")]
    [Reserved(3)]
    [Reserved("legacy_score")]
    public sealed partial record Customer
    {
        [Field(1)] public required string Id { get; init; }
        [Field(2)] public string DisplayName { get; init; } = "";
        [Field(4)] public List<string> Emails { get; init; } = new();
        [Field(5)] public DateTimeOffset? Since { get; init; }
        [Field(6)] public long? Credit { get; init; }
    }
}
