using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Cache;

namespace KafkaTyped.Tests.Cache;

public sealed class CacheFormatTests
{
    [Theory]
    [InlineData("PriceCache", "price_cache")]
    [InlineData("prices", "prices")]
    [InlineData("prices-v2.eu", "prices_v2_eu")]
    [InlineData("2024-prices", "cache_2024_prices")]
    [InlineData("HTTPCache", "http_cache")]
    public void Cache_names_become_protobuf_identifiers(string name, string expected) =>
        Assert.Equal(expected, KafkaTyped.SchemaModel.CacheOperationsProto.Snake(name));

    [Fact]
    public void The_operation_set_file_imports_the_value_and_lists_added_updated_deleted_in_order()
    {
        var file = CacheOperationsSchema.Build("PriceCache", StringValue.Descriptor, null);

        Assert.Equal("google.protobuf.price_cache", file.Package);
        Assert.Equal("google/protobuf/price_cache.proto", file.Name);
        var descriptor = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(file.Descriptor);
        Assert.Equal(["Added", "Updated", "Deleted"], descriptor.MessageType.Select(m => m.Name));
        Assert.Equal(["google/protobuf/wrappers.proto"], descriptor.Dependency);
        Assert.Equal(".google.protobuf.StringValue", descriptor.MessageType[0].Field[0].TypeName);
        Assert.Contains("message Deleted {", file.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Operation_payloads_round_trip_and_skip_unknown_fields()
    {
        var value = new StringValue { Value = "0.49 EUR" };
        var size = CacheOperationCodec<StringValue>.PayloadSize(value, out var valueSize);
        var payload = new byte[size + 3];
        CacheOperationCodec<StringValue>.WritePayload(value, valueSize, payload);
        payload[size] = 0x10; // field 2, varint: unknown to this reader
        payload[size + 1] = 0x2A;
        payload[size + 2] = 0x00; // ... and field 0 would be invalid, so cut it off:

        var decoded = CacheOperationCodec<StringValue>.DecodeValue(payload.AsSpan(0, size + 2));

        Assert.Equal(value, decoded);
        Assert.Equal(new StringValue(), CacheOperationCodec<StringValue>.DecodeValue([]));
        Assert.Throws<FormatException>(() => CacheOperationCodec<StringValue>.DecodeValue(payload.AsSpan(0, size - 1)));
    }

    [Fact]
    public void Keys_use_the_documented_encodings()
    {
        Assert.Equal("apple"u8.ToArray(), CacheKeyCodec<string>.Encode("apple"));
        Assert.Equal(new byte[] { 0, 0, 1, 2 }, CacheKeyCodec<int>.Encode(258));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 1, 2 }, CacheKeyCodec<long>.Encode(258));
        var guid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), CacheKeyCodec<Guid>.Encode(guid));
        Assert.Equal(guid, CacheKeyCodec<Guid>.Decode(CacheKeyCodec<Guid>.Encode(guid)));
        Assert.Equal(258L, CacheKeyCodec<long>.Decode(CacheKeyCodec<long>.Encode(258)));
        Assert.Throws<FormatException>(() => CacheKeyCodec<int>.Decode([1, 2]));
        Assert.False(CacheKeyCodec<double>.IsSupported);
    }
}
