using Confluent.Kafka;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Cache;
using KafkaTyped.Consuming;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Tests.Cache;

/// <summary>What the generated <c>ReadRecord</c> of a cache operation calls: bad input becomes a dead-letterable error.</summary>
public sealed class CacheOperationRecordsTests
{
    private static ConsumeResult<byte[], byte[]> Record(byte[]? key, byte[] value) => new()
    {
        Topic = "prices",
        Partition = new Partition(2),
        Offset = new Offset(41),
        Message = new Message<byte[], byte[]> { Key = key!, Value = value },
    };

    [Fact]
    public void Keys_decode_with_the_cache_key_encodings()
    {
        Assert.Equal("fig", CacheOperationRecords.ReadKey<string>(Record("fig"u8.ToArray(), [])));
        Assert.Equal(258L, CacheOperationRecords.ReadKey<long>(Record(CacheKeyCodec<long>.Encode(258), [])));
    }

    [Fact]
    public void A_missing_or_malformed_key_is_a_deserialization_error_naming_the_record()
    {
        var missing = Assert.Throws<MessageDeserializationException>(() => CacheOperationRecords.ReadKey<string>(Record(null, [])));
        Assert.Contains("no key", missing.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<MessageDeserializationException>(() => CacheOperationRecords.ReadKey<long>(Record([1, 2, 3], [])));
        Assert.Equal(("prices", 2, 41L), (wrong.Topic, wrong.Partition, wrong.Offset));
        Assert.IsType<FormatException>(wrong.InnerException);
    }

    [Fact]
    public void A_malformed_payload_is_a_deserialization_error()
    {
        byte[] truncated = [0x0A, 0x05, 0x0A];
        var error = Assert.Throws<MessageDeserializationException>(() => CacheOperationRecords.Parse(StringValue.Parser, truncated, Record("k"u8.ToArray(), truncated)));
        Assert.Contains("StringValue", error.Message, StringComparison.Ordinal);
        Assert.Equal("x", CacheOperationRecords.Parse(StringValue.Parser, new StringValue { Value = "x" }.ToByteArray(), Record("k"u8.ToArray(), [])).Value);
    }
}
