using KafkaTyped.Hosting;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Tests.Consuming;

public sealed class FramingTests
{
    private static readonly IPayloadCodec Codec = new ConfluentFramingWithoutRegistry();
    private static readonly MessageSetDefinition Set = new TwoHundredMembers();

    [Theory]
    [InlineData(0, new byte[] { 0, 0, 0, 0, 0, 0 })]
    [InlineData(1, new byte[] { 0, 0, 0, 0, 0, 2, 2 })]
    [InlineData(2, new byte[] { 0, 0, 0, 0, 0, 2, 4 })]
    [InlineData(64, new byte[] { 0, 0, 0, 0, 0, 2, 0x80, 0x01 })]
    public void Headers_use_Confluent_message_index_encoding(int index, byte[] expected)
    {
        var header = new byte[Codec.GetHeaderLength(Set, index)];
        Codec.WriteHeader(Set, index, header);
        Assert.Equal(expected, header);

        Assert.True(Codec.TryReadHeader(Set, [.. header, 0x08, 0x01], out var read, out var length, out var error), error);
        Assert.Equal(index, read);
        Assert.Equal(expected.Length, length);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0 }, "magic byte")]
    [InlineData(new byte[] { 0, 0, 0 }, "fewer than")]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0x80 }, "varint")]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 4, 2, 2 }, "count 2")]
    public void Invalid_headers_are_rejected_with_a_reason(byte[] value, string reason)
    {
        Assert.False(Codec.TryReadHeader(Set, value, out _, out _, out var error));
        Assert.Contains(reason, error);
    }

    private sealed class TwoHundredMembers : MessageSetDefinition
    {
        public override string Topic => "t";

        public override int Partitions => 1;

        public override ProtoFile File { get; } = new("t.proto", "t", "syntax = \"proto3\";", [], []);

        public override IReadOnlyList<string> MessageNames { get; } = Enumerable.Range(0, 200).Select(i => $"t.M{i}").ToArray();
    }
}
