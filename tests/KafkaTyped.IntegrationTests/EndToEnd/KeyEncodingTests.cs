using System.Buffers;
using KafkaTyped.Cache;
using KafkaTyped.Producing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.IntegrationTests.EndToEnd;

/// <summary>The producer, codec and cache paths share one key encoding (KafkaKeyEncoding) and agree byte for byte.</summary>
public sealed class KeyEncodingTests
{
    [Theory]
    [InlineData("order-42", "6f726465722d3432")]
    [InlineData("ü", "c3bc")]
    public void String_keys_agree(string key, string hex)
    {
        Assert.Equal(hex, Convert.ToHexStringLower(KafkaKeyEncoding.Encode(key)!));
        Assert.Equal(KafkaKeyEncoding.Encode(key), KafkaKeys.Utf8(key));
        Assert.Equal(KafkaKeyEncoding.Encode(key), CacheKeyCodec<string>.Encode(key));
        Assert.Equal(KafkaKeyEncoding.Encode(key), Written(w => KafkaKeyEncoding.Write(w, key)));
        Assert.Equal(key, CacheKeyCodec<string>.Decode(KafkaKeyEncoding.Encode(key)));
    }

    [Fact]
    public void Integer_and_guid_keys_agree_and_are_big_endian()
    {
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Assert.Equal("00000102", Convert.ToHexStringLower(KafkaKeyEncoding.Encode(258)));
        Assert.Equal("0000000000000102", Convert.ToHexStringLower(KafkaKeyEncoding.Encode(258L)));
        Assert.Equal("00112233445566778899aabbccddeeff", Convert.ToHexStringLower(KafkaKeyEncoding.Encode(guid)));
        Assert.Equal(KafkaKeyEncoding.Encode(258), KafkaKeys.Int32(258));
        Assert.Equal(KafkaKeyEncoding.Encode(258L), CacheKeyCodec<long>.Encode(258L));
        Assert.Equal(KafkaKeyEncoding.Encode(guid), Written(w => KafkaKeyEncoding.Write(w, guid)));
        Assert.Equal(guid, CacheKeyCodec<Guid>.Decode(KafkaKeys.Guid(guid)));
        Assert.Equal(-7, CacheKeyCodec<int>.Decode(KafkaKeyEncoding.Encode(-7)));
        Assert.Throws<FormatException>(() => CacheKeyCodec<int>.Decode(new byte[3]));
        Assert.Null(KafkaKeyEncoding.Encode((string?)null));
    }

    private static byte[] Written(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
