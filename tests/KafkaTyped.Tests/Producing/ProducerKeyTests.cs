using KafkaTyped.Producing;
using KafkaTyped.Protobuf;

namespace KafkaTyped.Tests.Producing;

public sealed class ProducerKeyTests
{
    [Theory]
    [InlineData("")]
    [InlineData("order-42")]
    [InlineData("ü-key-€-𝄞")]
    public void A_string_key_encodes_exactly_like_KafkaKeyEncoding(string value)
    {
        var key = ProducerKey.Utf8(value);

        Assert.Equal(KafkaKeyEncoding.Encode(value), key.ToArray());
        Assert.Equal(KafkaKeyEncoding.Encode(value)!.Length, key.EncodedLength);
        var written = new byte[key.EncodedLength];
        key.Write(written);
        Assert.Equal(KafkaKeyEncoding.Encode(value), written);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(0x01020304)]
    public void An_int_key_encodes_exactly_like_KafkaKeyEncoding(int value) =>
        Assert.Equal(KafkaKeyEncoding.Encode(value), ProducerKey.Int32(value).ToArray());

    [Theory]
    [InlineData(0L)]
    [InlineData(-2L)]
    [InlineData(long.MinValue)]
    [InlineData(0x0102030405060708L)]
    public void A_long_key_encodes_exactly_like_KafkaKeyEncoding(long value) =>
        Assert.Equal(KafkaKeyEncoding.Encode(value), ProducerKey.Int64(value).ToArray());

    [Fact]
    public void A_guid_key_encodes_exactly_like_KafkaKeyEncoding()
    {
        var value = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        Assert.Equal(KafkaKeyEncoding.Encode(value), ProducerKey.Guid(value).ToArray());
        Assert.Equal((byte)0x00, ProducerKey.Guid(value).ToArray()![0]);
        Assert.Equal((byte)0xff, ProducerKey.Guid(value).ToArray()![15]);
    }

    [Fact]
    public void No_key_and_a_null_string_are_a_null_Kafka_key()
    {
        Assert.True(ProducerKey.None.IsNone);
        Assert.True(ProducerKey.Utf8(null).IsNone);
        Assert.Null(ProducerKey.Utf8(null).ToArray());
        Assert.False(ProducerKey.Utf8("").IsNone);
    }
}

public sealed class ValueBufferCacheTests
{
    [Fact]
    public void A_returned_array_is_reused_only_for_its_exact_length_and_never_handed_out_twice()
    {
        var first = ValueBufferCache.Rent(100);
        ValueBufferCache.Return(first);

        var again = ValueBufferCache.Rent(100);
        var whileRented = ValueBufferCache.Rent(100);
        var otherLength = ValueBufferCache.Rent(132); // same slot (132 % 32 == 100 % 32), different length

        Assert.Same(first, again);
        Assert.NotSame(again, whileRented);
        Assert.Equal(100, whileRented.Length);
        Assert.Equal(132, otherLength.Length);
    }

    [Fact]
    public void Values_longer_than_the_limit_are_never_cached()
    {
        var large = ValueBufferCache.Rent(ValueBufferCache.MaxLength + 1);
        ValueBufferCache.Return(large);

        Assert.NotSame(large, ValueBufferCache.Rent(ValueBufferCache.MaxLength + 1));
    }
}
