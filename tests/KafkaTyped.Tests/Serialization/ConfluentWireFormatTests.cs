using System.Buffers;
using Google.Protobuf;
using KafkaTyped.Tests.Protos.Shop;
using KafkaTyped.Framing;

namespace KafkaTyped.Tests.Serialization;

public sealed class ConfluentWireFormatTests
{
    [Fact]
    public void Worked_example_from_PROTOCOLS_is_reproduced_byte_for_byte()
    {
        var writer = new ArrayBufferWriter<byte>();
        ConfluentWireFormat.WriteHeader(writer, 1, MessageIndexPath.TopLevel(0));
        new Order { Id = "A-1", Qty = 150 }.WriteTo(writer);

        Assert.Equal(Convert.FromHexString("00000000010" + "00A03412D31109601"), writer.WrittenSpan.ToArray());
        Assert.Equal(14, writer.WrittenCount);
    }

    [Theory]
    [InlineData(new[] { 0 }, "00")]
    [InlineData(new[] { 1 }, "0202")]
    [InlineData(new[] { 1, 0 }, "040200")]
    [InlineData(new[] { 1, 1 }, "040202")]
    [InlineData(new[] { 64 }, "028001")]
    [InlineData(new[] { 2, 3, 4 }, "06040608")]
    public void Index_paths_are_written_as_zig_zag_varints(int[] path, string expectedIndexHex)
    {
        var indexPath = MessageIndexPath.Create(path);
        var buffer = new byte[32];
        var length = ConfluentWireFormat.WriteHeader(buffer, 258, indexPath);

        Assert.Equal(ConfluentWireFormat.GetHeaderLength(indexPath), length);
        Assert.Equal("0000000102" + expectedIndexHex, Convert.ToHexString(buffer, 0, length));

        var header = ConfluentWireFormat.ReadHeader(buffer.AsSpan(0, length));
        Assert.Equal(258, header.SchemaId);
        Assert.Equal(indexPath, header.Path);
        Assert.Equal(path, header.Path.ToArray());
        Assert.Equal(length, header.PayloadOffset);
    }

    [Fact]
    public void Envelope_nested_types_use_their_descriptor_paths()
    {
        // Envelope is the second top-level message; Header and Body are its first and second nested types.
        Assert.Equal(1, Envelope.Descriptor.Index);
        Assert.Equal(0, Envelope.Types.Header.Descriptor.Index);
        Assert.Equal(1, Envelope.Types.Body.Descriptor.Index);

        var buffer = new byte[16];
        var length = ConfluentWireFormat.WriteHeader(buffer, 1, MessageIndexPath.Create(Envelope.Descriptor.Index, Envelope.Types.Body.Descriptor.Index));
        Assert.Equal("0000000001040202", Convert.ToHexString(buffer, 0, length));
    }

    [Theory]
    [InlineData("000000000100")]
    [InlineData("00000000010200")]
    public void Both_encodings_of_the_first_message_are_read(string hex)
    {
        var value = Convert.FromHexString(hex + "0A03412D31109601");
        var header = ConfluentWireFormat.ReadHeader(value);

        Assert.Equal(1, header.SchemaId);
        Assert.True(header.Path.IsTopLevel);
        Assert.Equal(0, header.Path.TopLevelIndex);
        var order = Order.Parser.ParseFrom(value.AsSpan(header.PayloadOffset));
        Assert.Equal("A-1", order.Id);
        Assert.Equal(150, order.Qty);
    }

    [Fact]
    public void Reading_a_top_level_frame_allocates_nothing()
    {
        var value = Convert.FromHexString("00000000010202" + "0A03412D31");
        ConfluentWireFormat.ReadHeader(value);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0;
        for (var i = 0; i < 1000; i++)
        {
            sum += ConfluentWireFormat.ReadHeader(value).PayloadOffset;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(7000, sum);
    }

    [Theory]
    [InlineData("", nameof(WireError.Empty))]
    [InlineData("0000000001", nameof(WireError.TooShort))]
    [InlineData("010000000100", nameof(WireError.UnknownMagicByte))]
    [InlineData("00000000018080808080", nameof(WireError.BadVarint))]
    [InlineData("000000000102", nameof(WireError.BadVarint))]
    [InlineData("000000000101", nameof(WireError.BadIndexCount))]
    [InlineData("00000000017E00", nameof(WireError.BadIndexCount))]
    [InlineData("00000000010201", nameof(WireError.NegativeIndex))]
    [InlineData("0000000001060202", nameof(WireError.TooShort))]
    public void Malformed_frames_are_reported_with_a_typed_exception(string hex, string expected)
    {
        var value = Convert.FromHexString(hex);
        Assert.Equal(Enum.Parse<WireError>(expected), ConfluentWireFormat.TryReadHeader(value, out _)); // by name: WireError is internal

        var exception = Assert.Throws<MessageFormatException>(() => ConfluentWireFormat.ReadHeader(value, "orders", 3, 42));
        Assert.Equal("orders", exception.Topic);
        Assert.Equal(3, exception.Partition);
        Assert.Equal(42, exception.Offset);
        Assert.Contains("topic 'orders', partition 3, offset 42", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Magic_byte_error_names_the_byte_and_the_expected_framing()
    {
        var exception = Assert.Throws<MessageFormatException>(() => ConfluentWireFormat.ReadHeader(Convert.FromHexString("7B226964223A317D")));
        Assert.Contains("0x7B", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Schema Registry", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_and_truncated_input_only_ever_throws_MessageFormatException()
    {
        var random = new Random(20261121);
        var valid = new List<byte[]>();
        foreach (var path in new[] { new[] { 0 }, new[] { 1 }, new[] { 1, 1 }, new[] { 300, 2, 7 } })
        {
            var writer = new ArrayBufferWriter<byte>();
            ConfluentWireFormat.WriteHeader(writer, random.Next(), MessageIndexPath.Create(path));
            new Order { Id = "A-1", Qty = 150 }.WriteTo(writer);
            valid.Add(writer.WrittenSpan.ToArray());
        }

        var inputs = new List<byte[]>();
        foreach (var frame in valid)
        {
            for (var length = 0; length <= frame.Length; length++)
            {
                inputs.Add(frame[..length]);
            }
        }

        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && random.Next(2) == 0)
            {
                bytes[0] = 0; // get past the magic byte check often
            }

            inputs.Add(bytes);
        }

        var parsed = 0;
        foreach (var input in inputs)
        {
            try
            {
                var header = ConfluentWireFormat.ReadHeader(input, "t", 0, 1);
                Assert.InRange(header.PayloadOffset, 6, input.Length);
                Assert.InRange(header.Path.Depth, 1, ConfluentWireFormat.MaxPathDepth);
                parsed++;
            }
            catch (MessageFormatException)
            {
                // expected for junk
            }
        }

        Assert.True(parsed > 40, $"only {parsed} inputs parsed; the fuzz corpus should include valid frames");
    }
}
