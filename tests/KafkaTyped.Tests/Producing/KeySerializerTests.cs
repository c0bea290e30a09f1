using Confluent.Kafka;
using KafkaTyped.Producing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Tests.Producing;

/// <summary>The typed producers' key serializers write exactly what <see cref="KafkaKeyEncoding"/> (Java's serializers) writes.</summary>
public sealed class KeySerializerTests
{
    private static readonly SerializationContext Context = new(MessageComponentType.Key, "t");

    [Theory]
    [InlineData("")]
    [InlineData("order-42")]
    [InlineData("ü-key-€-𝄞")]
    public void A_string_key_encodes_exactly_like_KafkaKeyEncoding(string value) =>
        Assert.Equal(KafkaKeyEncoding.Encode(value), Serialize(value));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    [InlineData(0x01020304)]
    public void An_int_key_encodes_exactly_like_KafkaKeyEncoding(int value) =>
        Assert.Equal(KafkaKeyEncoding.Encode(value), Serialize(value));

    [Theory]
    [InlineData(0L)]
    [InlineData(-2L)]
    [InlineData(long.MinValue)]
    [InlineData(0x0102030405060708L)]
    public void A_long_key_encodes_exactly_like_KafkaKeyEncoding(long value) =>
        Assert.Equal(KafkaKeyEncoding.Encode(value), Serialize(value));

    [Fact]
    public void A_guid_key_encodes_as_its_big_endian_RFC_4122_bytes()
    {
        var value = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

        var bytes = Serialize(value);

        Assert.Equal(KafkaKeyEncoding.Encode(value), bytes);
        Assert.Equal((byte)0x00, bytes![0]);
        Assert.Equal((byte)0xff, bytes[15]);
    }

    [Fact]
    public void A_null_string_and_a_member_without_a_key_are_a_null_Kafka_key()
    {
        Assert.Null(Serialize<string>(null!));
        Assert.Null(Serialize<Null>(null!));
    }

    [Fact]
    public void Returned_send_buffers_are_reused_for_the_next_key_of_the_same_length()
    {
        var serializer = KeySerializers.For<long>();
        var first = serializer.Serialize(1, Context);
        ValueBufferCache.ReturnSendBuffers();

        var second = serializer.Serialize(2, Context);
        var third = serializer.Serialize(3, Context); // not returned in between: must not share the array in use
        ValueBufferCache.ReturnSendBuffers();

        Assert.Same(first, second);
        Assert.NotSame(second, third);
        Assert.Equal(KafkaKeyEncoding.Encode(3L), third);
    }

    [Fact]
    public void An_unsupported_key_type_is_refused_with_the_supported_ones_in_the_message()
    {
        var exception = Assert.Throws<NotSupportedException>(() => KeySerializers.For<DateTime>());

        Assert.Contains("string, int, long or Guid", exception.Message, StringComparison.Ordinal);
    }

    private static byte[]? Serialize<T>(T value)
    {
        var bytes = KeySerializers.For<T>().Serialize(value, Context);
        var copy = bytes?.ToArray(); // the array goes back to the per-thread cache
        ValueBufferCache.ReturnSendBuffers();
        return copy;
    }
}
