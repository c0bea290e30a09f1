using System.Buffers;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Tests.Protos;
using KafkaTyped.Tests.Protos.Shop;
using KafkaTyped.Framing;

namespace KafkaTyped.Tests.Serialization;

public sealed class ProtobufWireSerializerTests
{
    private static RegisteredMessageSet Registered(int schemaId) =>
        new(TestMessageSets.Orders("orders"), ["orders-value"], [schemaId, schemaId], [MessageIndexPath.TopLevel(0), MessageIndexPath.TopLevel(1)], 1);

    [Fact]
    public void Serializes_the_worked_example_and_parses_it_back()
    {
        var serializer = new ProtobufWireSerializer(Registered(1));
        var writer = new ArrayBufferWriter<byte>();
        var order = new Order { Id = "A-1", Qty = 150 };
        serializer.Serialize(writer, 0, order);

        Assert.Equal("00000000010" + "00A03412D31109601", Convert.ToHexString(writer.WrittenSpan));
        Assert.Equal(writer.WrittenSpan.ToArray(), serializer.ToArray(0, order));
        Assert.Equal(14, serializer.GetFramedLength(0, order));

        var header = ConfluentWireFormat.ReadHeader(writer.WrittenSpan);
        Assert.Equal(order, ProtobufWireSerializer.ParsePayload(Order.Parser, writer.WrittenSpan[header.PayloadOffset..]));
    }

    [Fact]
    public void Second_member_gets_its_index()
    {
        var serializer = new ProtobufWireSerializer(Registered(258));
        var bytes = serializer.ToArray(1, new Envelope { Header = new Envelope.Types.Header { Trace = "t" } });
        Assert.Equal("00000001020202", Convert.ToHexString(bytes, 0, 7));
    }

    [Fact]
    public void Serializing_into_a_reused_buffer_allocates_nothing()
    {
        var serializer = new ProtobufWireSerializer(Registered(7));
        var writer = new ArrayBufferWriter<byte>(256);
        var order = new Order { Id = "A-1", Qty = 150 };
        serializer.Serialize(writer, 0, order);
        writer.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            serializer.Serialize(writer, 0, order);
            writer.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Corrupt_payload_becomes_MessageFormatException_with_coordinates()
    {
        var exception = Assert.Throws<MessageFormatException>(() => ProtobufWireSerializer.ParsePayload(Order.Parser, new byte[] { 0x0A, 0x09, 0x41 }, "orders", 2, 5));
        Assert.Equal(2, exception.Partition);
        Assert.Contains("Order", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_maps_own_ids_from_memory()
    {
        using var registry = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = ["http://127.0.0.1:1"], MaxRetries = 0 });
        var resolver = new MessageIndexResolver(Registered(5), registry);

        Assert.True(resolver.TryResolve(new WireHeader(5, MessageIndexPath.TopLevel(1), 7), out var index));
        Assert.Equal(1, index);
        Assert.False(resolver.TryResolve(new WireHeader(5, MessageIndexPath.Create(1, 0), 8), out _));
        Assert.False(resolver.TryResolve(new WireHeader(6, MessageIndexPath.TopLevel(0), 6), out _));

        var header = new WireHeader(5, MessageIndexPath.TopLevel(0), 6);
        resolver.TryResolve(header, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            resolver.TryResolve(header, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task Resolver_reports_a_nested_path_as_MessageFormatException()
    {
        using var registry = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = ["http://127.0.0.1:1"], MaxRetries = 0 });
        var resolver = new MessageIndexResolver(Registered(5), registry);

        var exception = await Assert.ThrowsAsync<MessageFormatException>(async () => await resolver.ResolveAsync(new WireHeader(5, MessageIndexPath.Create(1, 1), 8), "orders", 0, 3));
        Assert.Equal(5, exception.SchemaId);
        Assert.Contains("[1,1]", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poison_records_through_the_whole_read_path_only_throw_MessageFormatException()
    {
        using var registry = new SchemaRegistryClient(new SchemaRegistryOptions { Urls = ["http://127.0.0.1:1"], MaxRetries = 0 });
        var resolver = new MessageIndexResolver(Registered(5), registry);
        var valid = new ProtobufWireSerializer(Registered(5)).ToArray(1, new Envelope { Header = new Envelope.Types.Header { Trace = "trace" }, Body = new Envelope.Types.Body { Data = Google.Protobuf.ByteString.CopyFromUtf8("data") } });
        var random = new Random(42);
        var outcomes = new Dictionary<string, int>();
        for (var i = 0; i < 5000; i++)
        {
            byte[] value;
            if (i % 2 == 0)
            {
                // A valid frame for schema id 5 with a corrupted or truncated payload.
                value = valid[..random.Next(6, valid.Length + 1)];
                if (value.Length > 7)
                {
                    value[random.Next(7, value.Length)] = (byte)random.Next(256);
                }
            }
            else
            {
                value = new byte[random.Next(0, 40)];
                random.NextBytes(value);
                if (value.Length > 5)
                {
                    value[0] = 0;
                    value[1] = value[2] = value[3] = 0;
                    value[4] = 5;
                }
            }

            string outcome;
            try
            {
                var header = ConfluentWireFormat.ReadHeader(value, "orders", 0, i);
                if (!resolver.TryResolve(header, out var index))
                {
                    // Only schema id 5 is in memory and the registry URL is closed: unknown paths must be format errors.
                    index = header.SchemaId == 5 ? await resolver.ResolveAsync(header, "orders", 0, i) : -1;
                }

                var payload = value.AsSpan(header.PayloadOffset);
                outcome = index switch
                {
                    0 => ProtobufWireSerializer.ParsePayload(Order.Parser, payload, "orders", 0, i).GetType().Name,
                    1 => ProtobufWireSerializer.ParsePayload(Envelope.Parser, payload, "orders", 0, i).GetType().Name,
                    _ => "skipped",
                };
            }
            catch (MessageFormatException)
            {
                outcome = "format error";
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault("format error") > 100, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("Envelope") > 100, string.Join(", ", outcomes));
    }

    [Fact]
    public void Subject_name_strategies()
    {
        Assert.Equal("orders-value", SubjectNames.For(SubjectNameStrategy.Topic, "orders", "shop.Order"));
        Assert.Equal("orders-key", SubjectNames.For(SubjectNameStrategy.Topic, "orders", "shop.Order", isKey: true));
        Assert.Equal("shop.Order", SubjectNames.For(SubjectNameStrategy.Record, "orders", "shop.Order"));
        Assert.Equal("orders-shop.Order", SubjectNames.For(SubjectNameStrategy.TopicRecord, "orders", "shop.Order"));
    }
}
