using System.Buffers;
using Google.Protobuf;
using KafkaTyped.Protobuf.Tests.Samples;
using V1 = KafkaTyped.Protobuf.Tests.Evolution.V1;
using V2 = KafkaTyped.Protobuf.Tests.Evolution.V2;
using R = Compat.Samples;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Protobuf.Tests;

public sealed class BehaviourTests
{
    private static readonly OrderPlaced Order = new("A-1", 150, new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), new Money("EUR", 1, 500_000_000), ["x", "y"]);

    [Fact]
    public void Parses_from_span_sequence_stream_and_coded_input()
    {
        byte[] bytes = Order.ToByteArray();
        Assert.Equal(Order, OrderPlaced.Parser.ParseFrom(bytes.AsSpan()));
        Assert.Equal(Order, OrderPlaced.Parser.ParseFrom(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal(Order, OrderPlaced.Parser.ParseFrom(new MemoryStream(bytes)));
        Assert.Equal(Order, OrderPlaced.Parser.ParseFrom(new CodedInputStream(bytes)));
        Assert.Equal(Order, OrderPlaced.Parser.ParseFrom(ByteString.CopyFrom(bytes)));
    }

    [Fact]
    public void Writes_to_buffer_writer_and_stream()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Order.WriteTo(buffer);
        var stream = new MemoryStream();
        Order.WriteTo(stream);
        Assert.Equal(Reference.ToRef(Order).ToByteArray(), buffer.WrittenSpan.ToArray());
        Assert.Equal(buffer.WrittenSpan.ToArray(), stream.ToArray());
    }

    [Fact]
    public void Writing_into_a_callers_buffer_does_not_allocate()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Order.WriteTo(buffer);
        buffer.ResetWrittenCount();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Order.WriteTo(buffer);
            buffer.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Unknown_fields_survive_a_round_trip_and_do_not_change_equality()
    {
        // Version 1 bytes carry field 3, which version 2 does not know.
        var v1 = new V1.Customer("c-1", "Ada", 42);
        byte[] v1Bytes = v1.ToByteArray();
        V2.Customer v2 = V2.Customer.Parser.ParseFrom(v1Bytes);
        Assert.Equal("c-1", v2.Id);
        Assert.Equal("Ada", v2.DisplayName);
        Assert.Equal(new V2.Customer { Id = "c-1", DisplayName = "Ada" }, v2);
        Assert.Equal(new V2.Customer { Id = "c-1", DisplayName = "Ada" }.GetHashCode(), v2.GetHashCode());

        // Re-serialized by version 2, the unknown field is still there, so version 1 reads everything back.
        byte[] again = v2.ToByteArray();
        Assert.Equal(v1Bytes, again);
        Assert.Equal(v1, V1.Customer.Parser.ParseFrom(again));

        // Clones keep unknown fields too.
        var clone = ((IDeepCloneable<V2.Customer>)v2).Clone();
        Assert.Equal(v1Bytes, clone.ToByteArray());
    }

    [Fact]
    public void Schema_evolution_reads_both_ways_without_losing_shared_fields()
    {
        var v2 = new V2.Customer { Id = "c-2", DisplayName = "Grace", Emails = ["g@x.org", "h@y.org"], Since = DateTimeOffset.UnixEpoch.AddDays(3), Credit = 0 };
        V1.Customer v1 = V1.Customer.Parser.ParseFrom(v2.ToByteArray());
        Assert.Equal(new V1.Customer("c-2", "Grace", 0), v1);

        // Version 1 re-writes what it does not know (fields 4-6) untouched; version 2 gets all of it back.
        V2.Customer back = V2.Customer.Parser.ParseFrom(v1.ToByteArray());
        Assert.Equal(v2, back);
        Assert.Equal(0, back.Credit);
    }

    [Fact]
    public void Reserved_numbers_and_names_are_in_the_schema()
    {
        Assert.Contains("reserved 3;", V2.Customer.ProtoFile.Text, StringComparison.Ordinal);
        Assert.Contains("reserved \"legacy_score\";", V2.Customer.ProtoFile.Text, StringComparison.Ordinal);
        var proto = Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(V2.Customer.ProtoFile.Descriptor);
        Assert.Equal(3, proto.MessageType[0].ReservedRange[0].Start);
        Assert.Equal("legacy_score", proto.MessageType[0].ReservedName[0]);
    }

    [Fact]
    public void Clone_is_deep_and_merge_follows_protobuf_rules()
    {
        var c = new Collections { Ints = [1, 2], Prices = [new Money("EUR", 1, 0)], Totals = new() { ["a"] = 1 } };
        var clone = ((IDeepCloneable<Collections>)c).Clone();
        Assert.Equal(c, clone);
        Assert.NotSame(c.Ints, clone.Ints);
        Assert.NotSame(c.Prices[0], clone.Prices[0]);

        var other = new Collections { Ints = [3], Totals = new() { ["b"] = 2 }, Prices = [new Money("USD", 2, 0)] };
        clone.MergeFrom(other);
        Assert.Equal([1, 2, 3], clone.Ints);
        Assert.Equal(1, clone.Totals["a"]);
        Assert.Equal(2, clone.Totals["b"]);
        Assert.Equal([1, 2], c.Ints);
        Assert.Single(c.Totals);

        var merged = new R.Collections();
        merged.MergeFrom(Reference.ToRef(c));
        merged.MergeFrom(Reference.ToRef(other));
        Assert.Equal(merged.ToByteArray(), clone.ToByteArray());

        // A key present on both sides takes the merged-in value (protoc 3.21's MapField throws here instead).
        clone.MergeFrom(new Collections { Totals = new() { ["a"] = 9 } });
        Assert.Equal(9, clone.Totals["a"]);
    }

    [Fact]
    public void Json_formatter_and_descriptors_work_on_generated_records()
    {
        // JsonFormatter reaches every field through the descriptors; converted types go through the generated adapters.
        var wk = new WellKnown { At = DateTimeOffset.UnixEpoch.AddSeconds(1.5), Elapsed = TimeSpan.FromSeconds(90), Id = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Amount = 12.50m, Price = new Money("USD", 3, 0) };
        Assert.Equal(JsonFormatter.Default.Format(Reference.ToRef(wk)), JsonFormatter.Default.Format(wk));
        Assert.Equal(JsonFormatter.Default.Format(Reference.ToRef(Order)), JsonFormatter.Default.Format(Order));

        var opt = new Optionals { MaybeInt = 0, MaybeText = "t", MaybeId = Guid.Empty, MaybeAmount = 1.0m };
        Assert.Equal(JsonFormatter.Default.Format(Reference.ToRef(opt)), JsonFormatter.Default.Format(opt));

        var col = new Collections { Times = [DateTimeOffset.UnixEpoch], Blobs = [[1, 2]], Totals = new() { ["k"] = 7 }, ByIndex = new Dictionary<int, Money> { [1] = new("EUR", 1, 2) } };
        Assert.Equal(JsonFormatter.Default.Format(Reference.ToRef(col)), JsonFormatter.Default.Format(col));

        Assert.Equal("compat.samples.OrderPlaced", OrderPlaced.Descriptor.FullName);
        Assert.Equal(typeof(OrderPlaced), OrderPlaced.Descriptor.ClrType);
        Assert.Equal("A-1", OrderPlaced.Descriptor.FindFieldByName("order_id").Accessor.GetValue(Order));
    }

    [Fact]
    public void Json_parser_fills_records_through_the_descriptors()
    {
        var wk = new WellKnown { At = DateTimeOffset.UnixEpoch.AddSeconds(1.5), When = DateTime.UnixEpoch, Elapsed = TimeSpan.FromSeconds(90), Id = Guid.NewGuid(), Amount = 12.50m, MaybeAt = DateTimeOffset.UnixEpoch, Price = new Money("USD", 3, 7) };
        string json = JsonFormatter.Default.Format(wk);
        Assert.Equal(wk, JsonParser.Default.Parse<WellKnown>(json));
        Assert.Equal(Order, JsonParser.Default.Parse<OrderPlaced>(JsonFormatter.Default.Format(Order)));
        var opt = new Optionals { MaybeInt = 0, MaybeText = "", MaybeBlob = [1], MaybeMoney = new Money("EUR", 1, 1), MaybeId = Guid.Empty, MaybeAmount = 0.10m };
        Assert.Equal(opt, JsonParser.Default.Parse<Optionals>(JsonFormatter.Default.Format(opt)));
    }

    [Fact]
    public void Enum_json_uses_the_proto_value_names_both_ways()
    {
        // Google.Protobuf 3.36's JsonFormatter names enum values from the descriptor (the proto3 JSON form), as
        // protoc-generated code does; JsonParser reads them back (documented in docs/types.md).
        var message = new OrderCancelled { OrderId = "", Color = Color.Red };
        string json = JsonFormatter.Default.Format(message);
        Assert.Equal("{ \"color\": \"COLOR_RED\" }", json);
        Assert.Equal(message, JsonParser.Default.Parse<OrderCancelled>(json));
    }

    [Fact]
    public void Message_set_definition_lists_members_in_file_order()
    {
        OrderEventsSet set = OrderEventsSet.Instance;
        Assert.Equal("orders", set.Topic);
        Assert.Equal(3, set.Partitions);
        Assert.Equal(-1, set.ReplicationFactor);
        Assert.Equal("compat/samples/order_events.proto", set.File.Name);
        Assert.Equal("compat.samples", set.File.Package);
        Assert.Equal(["compat.samples.OrderCancelled", "compat.samples.OrderPlaced"], set.MessageNames);
        Assert.Equal(0, OrderCancelled.ProtoMessageIndex);
        Assert.Equal(1, OrderPlaced.ProtoMessageIndex);
        Assert.Same(set.File, OrderPlaced.ProtoFile);
        for (int i = 0; i < set.MessageNames.Count; i++)
        {
            Assert.Equal(set.MessageNames[i], OrderEventsSet.Descriptor.MessageTypes[i].FullName);
        }

        // Confluent's serializer finds the message index by ClrType.
        Assert.Equal(typeof(OrderPlaced), OrderEventsSet.Descriptor.MessageTypes[OrderPlaced.ProtoMessageIndex].ClrType);
        Assert.Equal("compat/samples/money.proto", Money.ProtoFile.Name);
        Assert.Equal(0, Money.ProtoMessageIndex);
        Assert.Same(Money.ProtoFile, set.File.Dependencies[0]);
        Assert.Same(WellKnownProtoFiles.Timestamp, set.File.Dependencies[1]);
    }

    [Fact]
    public void Keys_use_the_documented_encodings()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ((IKeyedMessage)Order).WriteKey(buffer);
        Assert.Equal("A-1"u8.ToArray(), buffer.WrittenSpan.ToArray());
        Assert.False(typeof(IKeyedMessage).IsAssignableFrom(typeof(Money)));

        buffer.ResetWrittenCount();
        KafkaKeyEncoding.Write(buffer, 0x01020304);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, buffer.WrittenSpan.ToArray());
        buffer.ResetWrittenCount();
        KafkaKeyEncoding.Write(buffer, 0x0102030405060708L);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, buffer.WrittenSpan.ToArray());
        buffer.ResetWrittenCount();
        KafkaKeyEncoding.Write(buffer, Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"));
        Assert.Equal(Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Parameterless_constructor_gives_protobuf_defaults()
    {
        var o = new OrderPlaced();
        Assert.Equal("", o.OrderId);
        Assert.NotNull(o.Total);
        Assert.Empty(o.Tags);
        var c = new Collections();
        Assert.True(c.Counters.IsEmpty);
        Assert.Equal("", new OrderCancelled().OrderId);

        // The parser's own constructor skips these defaults; parsing fills what the input left out.
        OrderPlaced parsed = OrderPlaced.Parser.ParseFrom(ReadOnlySpan<byte>.Empty);
        Assert.Equal(new OrderPlaced(), parsed);
        Assert.NotNull(parsed.Total);
        Assert.NotNull(parsed.Tags);
        Collections parsedCollections = Collections.Parser.ParseFrom(ReadOnlySpan<byte>.Empty);
        Assert.False(parsedCollections.Counters.IsDefault);
        Assert.NotNull(parsedCollections.Longs);
        Assert.Equal(new Collections(), parsedCollections);
    }

    [Fact]
    public void Decimal_round_trips_exactly_including_scale()
    {
        foreach (decimal d in new[] { 0m, 0.00m, 1.50m, -1.50m, decimal.MaxValue, decimal.MinValue, 1e-28m, 123456789.987654321m })
        {
            var back = WellKnown.Parser.ParseFrom(new WellKnown { Amount = d }.ToByteArray());
            Assert.Equal(d, back.Amount);
            Assert.Equal(d.Scale, back.Amount.Scale);
        }
    }

    [Fact]
    public void Timestamps_and_durations_keep_every_tick()
    {
        var gen = new Gen(7);
        for (int i = 0; i < 300; i++)
        {
            var w = gen.WellKnown();
            var back = WellKnown.Parser.ParseFrom(w.ToByteArray());
            Assert.Equal(w.At.UtcTicks, back.At.UtcTicks);
            Assert.Equal(TimeSpan.Zero, back.At.Offset);
            Assert.Equal(w.When.Ticks, back.When.Ticks);
            Assert.Equal(DateTimeKind.Utc, back.When.Kind);
            Assert.Equal(w.Elapsed.Ticks, back.Elapsed.Ticks);
        }
    }

    [Fact]
    public void Malformed_input_throws_a_protobuf_exception_not_a_crash()
    {
        byte[] bytes = Order.ToByteArray();
        Assert.Throws<InvalidProtocolBufferException>(() => OrderPlaced.Parser.ParseFrom(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidProtocolBufferException>(() => OrderPlaced.Parser.ParseFrom([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]));
    }
}
