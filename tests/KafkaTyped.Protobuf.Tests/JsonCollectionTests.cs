using System.Collections.Immutable;
using Google.Protobuf;
using KafkaTyped.Protobuf.Tests.Samples;
using R = Compat.Samples;

namespace KafkaTyped.Protobuf.Tests;

/// <summary>
/// Repeated and map fields of converted types (Guid, decimal, Timestamp, Duration, bytes) through Google.Protobuf's
/// reflection: JsonParser fills them through the field accessors, and protoc's classes agree on the JSON both ways.
/// </summary>
public sealed class JsonCollectionTests
{
    private static readonly ConvertedCollections Value = new()
    {
        Ids = [Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Guid.Empty],
        Amounts = [1.50m, -0.001m, 0m, decimal.MaxValue],
        Spans = [TimeSpan.FromSeconds(90), TimeSpan.FromTicks(-1)],
        Chunks = [new byte[] { 1, 2 }, ReadOnlyMemory<byte>.Empty],
        Seen = new() { ["a"] = DateTimeOffset.UnixEpoch.AddSeconds(1.5) },
        Prices = new Dictionary<int, decimal> { [7] = 2.25m },
        Files = new() { ["f"] = [9, 8] },
        Dates = [DateTime.UnixEpoch.AddDays(1)],
    };

    [Fact]
    public void Json_round_trips_repeated_and_map_fields_of_converted_types()
    {
        string json = JsonFormatter.Default.Format(Value);
        ConvertedCollections back = JsonParser.Default.Parse<ConvertedCollections>(json);
        Assert.Equal(Value, back);
        Assert.Equal(2, back.Ids.Count);
        Assert.Equal(2.25m, back.Prices[7]);
        Assert.Equal(Value.ToByteArray(), back.ToByteArray());
    }

    [Fact]
    public void Json_agrees_with_protocs_classes_both_ways()
    {
        R.ConvertedCollections reference = R.ConvertedCollections.Parser.ParseFrom(Value.ToByteArray());
        string ours = JsonFormatter.Default.Format(Value);
        Assert.Equal(JsonFormatter.Default.Format(reference), ours);
        Assert.Equal(Value.ToByteArray(), JsonParser.Default.Parse<R.ConvertedCollections>(ours).ToByteArray());
        Assert.Equal(Value, JsonParser.Default.Parse<ConvertedCollections>(JsonFormatter.Default.Format(reference)));
    }

    [Fact]
    public void Reflection_edits_write_back_without_touching_shared_collections()
    {
        var shared = new List<Guid> { Guid.Empty };
        var message = new ConvertedCollections { Ids = shared };
        var ids = (System.Collections.IList)ConvertedCollections.Descriptor.FindFieldByName("ids").Accessor.GetValue(message);
        ids.Add(ByteString.CopyFrom(new byte[16]));
        Assert.Equal(2, message.Ids.Count);
        Assert.Single(shared);

        ConvertedCollections.Descriptor.FindFieldByName("spans").Accessor.Clear(message);
        Assert.True(message.Spans.IsEmpty);
        var seen = (System.Collections.IDictionary)ConvertedCollections.Descriptor.FindFieldByName("seen").Accessor.GetValue(message);
        seen["k"] = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch);
        Assert.Equal(DateTimeOffset.UnixEpoch, message.Seen["k"]);
        Assert.Equal(ImmutableArray<TimeSpan>.Empty, message.Spans);
    }
}
