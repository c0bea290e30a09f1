using System.Collections.Immutable;
using KafkaTyped;

// The package comes from the project file (<AssemblyAttribute Include="KafkaTyped.ProtoPackageAttribute">), the
// documented MSBuild route to [assembly: ProtoPackage("compat.samples")].

namespace KafkaTyped.Protobuf.Tests.Samples;

public enum Color
{
    Unspecified = 0,
    Red = 1,
    Green = 2,
    Blue = -3,
}

/// <summary>A value object: lives in its own file, imported by the files that use it.</summary>
[KafkaMessage]
public sealed partial record Money([Field(1)] string Currency, [Field(2)] long Units, [Field(3)] int Nanos);

[KafkaMessage]
public sealed partial record AllScalars(
    [Field(1)] string Text,
    [Field(2)] bool Flag,
    [Field(3)] int Int32,
    [Field(4)] long Int64,
    [Field(5)] uint UInt32,
    [Field(6)] ulong UInt64,
    [Field(7)] float Single,
    [Field(8)] double Double,
    [Field(9, Encoding = IntegerEncoding.ZigZag)] int SInt32,
    [Field(10, Encoding = IntegerEncoding.ZigZag)] long SInt64,
    [Field(11, Encoding = IntegerEncoding.Fixed)] int SFixed32,
    [Field(12, Encoding = IntegerEncoding.Fixed)] long SFixed64,
    [Field(13, Encoding = IntegerEncoding.Fixed)] uint Fixed32,
    [Field(14, Encoding = IntegerEncoding.Fixed)] ulong Fixed64,
    [Field(15)] byte[] Blob,
    [Field(16)] ReadOnlyMemory<byte> Memory,
    [Field(17)] Color Color,
    [Field(200)] int BigNumber);

[KafkaMessage]
public sealed partial record WellKnown
{
    [Field(1)] public DateTimeOffset At { get; init; }
    [Field(2)] public DateTime When { get; init; }
    [Field(3)] public TimeSpan Elapsed { get; init; }
    [Field(4)] public Guid Id { get; init; }
    [Field(5)] public decimal Amount { get; init; }
    [Field(6)] public DateTimeOffset? MaybeAt { get; init; }
    [Field(7)] public TimeSpan? MaybeElapsed { get; init; }
    [Field(8)] public Money Price { get; init; } = new();
}

[KafkaMessage]
public sealed partial record Optionals
{
    [Field(1)] public int? MaybeInt { get; init; }
    [Field(2)] public string? MaybeText { get; init; }
    [Field(3)] public byte[]? MaybeBlob { get; init; }
    [Field(4)] public Color? MaybeColor { get; init; }
    [Field(5)] public bool? MaybeFlag { get; init; }
    [Field(6)] public Money? MaybeMoney { get; init; }
    [Field(7)] public Guid? MaybeId { get; init; }
    [Field(8)] public decimal? MaybeAmount { get; init; }
    [Field(9)] public double? MaybeDouble { get; init; }
}

[KafkaMessage]
public sealed partial record Collections
{
    [Field(1)] public List<int> Ints { get; set; } = new();
    [Field(2)] public long[] Longs { get; init; } = [];
    [Field(3)] public IReadOnlyList<string> Names { get; init; } = [];
    [Field(4)] public ImmutableArray<uint> Counters { get; init; } = ImmutableArray<uint>.Empty;
    [Field(5)] public List<Money> Prices { get; init; } = new();
    [Field(6)] public Dictionary<string, long> Totals { get; init; } = new();
    [Field(7)] public IReadOnlyDictionary<int, Money> ByIndex { get; init; } = new Dictionary<int, Money>();
    [Field(8)] public List<DateTimeOffset> Times { get; init; } = new();
    [Field(9)] public List<byte[]> Blobs { get; init; } = new();
    [Field(10)] public List<Color> Colors { get; init; } = new();
    [Field(11, Encoding = IntegerEncoding.ZigZag)] public List<long> Deltas { get; init; } = new();
    [Field(12)] public List<double> Doubles { get; init; } = new();
    [Field(13)] public Dictionary<string, string> Labels { get; init; } = new();
    [Field(14)] public Dictionary<long, Color> ColorById { get; init; } = new();
    [Field(15)] public List<bool> Flags { get; init; } = new();
}

/// <summary>A message set: one topic, one .proto file holding its members.</summary>
[Topic("orders", Partitions = 3)]
public partial interface IOrderEvents;

[KafkaMessage]
[Reserved(4, 7)]
[Reserved("old_note")]
public sealed partial record OrderPlaced(
    [Field(1), Key] string OrderId,
    [Field(2)] long AmountCents,
    [Field(3)] DateTimeOffset PlacedAt,
    [Field(5)] Money Total,
    [Field(6)] List<string> Tags) : IOrderEvents;

[KafkaMessage]
public sealed partial record OrderCancelled : IOrderEvents
{
    [Field(1), Key] public required string OrderId { get; init; }
    [Field(2)] public string Reason { get; init; } = "";
    [Field(3)] public Color Color { get; set; }
}

/// <summary>Repeated and map fields of converted types (their reflection adapters are live views JsonParser fills).</summary>
[KafkaMessage]
public sealed partial record ConvertedCollections
{
    [Field(1)] public List<Guid> Ids { get; init; } = new();
    [Field(2)] public decimal[] Amounts { get; init; } = [];
    [Field(3)] public ImmutableArray<TimeSpan> Spans { get; init; } = ImmutableArray<TimeSpan>.Empty;
    [Field(4)] public IReadOnlyList<ReadOnlyMemory<byte>> Chunks { get; init; } = [];
    [Field(5)] public Dictionary<string, DateTimeOffset> Seen { get; init; } = new();
    [Field(6)] public IReadOnlyDictionary<int, decimal> Prices { get; init; } = new Dictionary<int, decimal>();
    [Field(7)] public Dictionary<string, byte[]> Files { get; init; } = new();
    [Field(8)] public List<DateTime> Dates { get; set; } = new();
}
