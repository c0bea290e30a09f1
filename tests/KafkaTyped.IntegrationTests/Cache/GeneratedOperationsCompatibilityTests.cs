using Google.Protobuf;
using KafkaTyped.Cache;
using KafkaTyped.IntegrationTests.EndToEnd;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.IntegrationTests.Cache;

/// <summary>
/// The generated operation messages of a cache (<see cref="PriceBoard.Added"/>, ...) and the runtime's own operation set
/// (what the replica writes and reads) are one schema and one byte format, so they register one schema id and read
/// each other's records. No cluster needed.
/// </summary>
public sealed class GeneratedOperationsCompatibilityTests
{
    [Fact]
    public void The_generated_proto_file_equals_the_runtime_one_byte_for_byte()
    {
        // What AddReplicatedCache builds for the generated cache: the cache's class name is the runtime cache name.
        var runtime = CacheOperationsSchema.Build(nameof(PriceBoard), ShelfPrice.Descriptor, null);
        var generated = PriceBoard.Operations.ProtoFile;

        Assert.Equal(runtime.Name, generated.Name);
        Assert.Equal(runtime.Package, generated.Package);
        Assert.Equal(runtime.Text, generated.Text);
        Assert.Equal(runtime.Descriptor, generated.Descriptor);
        Assert.Equal(runtime.Dependencies.Select(d => d.Name), generated.Dependencies.Select(d => d.Name));
        Assert.Equal(runtime.Dependencies.Select(d => d.Descriptor), generated.Dependencies.Select(d => d.Descriptor));
        Assert.Equal(runtime.Descriptor, PriceBoard.Added.Descriptor.File.SerializedData.ToByteArray());

        var set = CacheOperationsSet.For<ShelfPrice>(nameof(PriceBoard), PriceBoard.TopicName, PriceBoard.PartitionCount);
        Assert.Equal(set.MessageNames, PriceBoard.Operations.Instance.MessageNames);
        Assert.Equal(set.Topic, PriceBoard.Operations.Instance.Topic);
        Assert.Equal(set.Partitions, PriceBoard.Operations.Instance.Partitions);
        Assert.Equal(set.TopicConfigs, PriceBoard.Operations.Instance.TopicConfigs);
        Assert.Equal(
            [(int)CacheOperationKind.Added, (int)CacheOperationKind.Updated, (int)CacheOperationKind.Deleted],
            [PriceBoard.Operations.AddedIndex, PriceBoard.Operations.UpdatedIndex, PriceBoard.Operations.DeletedIndex]);
    }

    [Fact]
    public void Protoc_compiles_the_exported_text_to_the_generated_descriptor()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kafkatyped-cacheops-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = ProtoFileExporter.Export([PriceBoard.Operations.ProtoFile], dir);
            Assert.Equal(2, written.Count);
            string set = Path.Combine(dir, "set.pb");
            KafkaTyped.Testing.Protoc.ProtocTool.Run(["-I", dir, "--descriptor_set_out=" + set, PriceBoard.Operations.ProtoFile.Name]);

            var compiled = Google.Protobuf.Reflection.FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(set)).File.Single();
            compiled.SourceCodeInfo = null;
            foreach (var field in compiled.MessageType.SelectMany(m => m.Field))
            {
                field.ClearJsonName(); // protoc's descriptor sets carry json_name; the C# embedding (and ours) does not
            }

            Assert.Equal(compiled, Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(PriceBoard.Operations.ProtoFile.Descriptor));
            Assert.Equal(compiled.ToByteArray(), PriceBoard.Operations.ProtoFile.Descriptor);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_generated_messages_write_and_read_the_runtime_payloads()
    {
        var value = new ShelfPrice("fig", 1234);
        var size = CacheOperationCodec<ShelfPrice>.PayloadSize(value, out var valueSize);
        var runtimePayload = new byte[size];
        CacheOperationCodec<ShelfPrice>.WritePayload(value, valueSize, runtimePayload);

        Assert.Equal(runtimePayload, new PriceBoard.Added("fig", value).ToByteArray());
        Assert.Equal(runtimePayload, new PriceBoard.Updated("fig", value).ToByteArray());
        Assert.Empty(new PriceBoard.Deleted("fig").ToByteArray());
        Assert.Equal(value, PriceBoard.Updated.Parser.ParseFrom(runtimePayload).Value);
        Assert.Equal(value, CacheOperationCodec<ShelfPrice>.DecodeValue(new PriceBoard.Added("x", value).ToByteArray()));

        // proto3: an absent value reads as the default message, as in the runtime codec.
        Assert.Equal(new ShelfPrice(), PriceBoard.Added.Parser.ParseFrom([]).Value);
        Assert.Equal(CacheOperationCodec<ShelfPrice>.DecodeValue([]), PriceBoard.Added.Parser.ParseFrom([]).Value);
    }

    [Fact]
    public void The_generated_messages_behave_like_protobuf_messages()
    {
        var added = new PriceBoard.Added("fig", new ShelfPrice("fig", 10));
        var clone = ((IDeepCloneable<PriceBoard.Added>)added).Clone();
        Assert.Equal(added, clone);
        Assert.NotSame(added.Value, clone.Value);
        Assert.Equal("fig", clone.Key);
        Assert.Equal(added with { Key = "pear" }, new PriceBoard.Added("pear", new ShelfPrice("fig", 10)));
        Assert.NotEqual(added, added with { Key = "pear" });

        // Unknown fields survive a round trip (a newer writer's fields), and merging keeps the key.
        var withUnknown = new byte[] { 0x10, 0x07 }.Concat(added.ToByteArray()).ToArray();
        var parsed = PriceBoard.Added.Parser.ParseFrom(withUnknown);
        Assert.Equal(added.Value, parsed.Value);
        Assert.Equal(withUnknown.Length, parsed.CalculateSize());
        var merged = new PriceBoard.Updated("kiwi", new ShelfPrice("kiwi", 1));
        merged.MergeFrom(new PriceBoard.Updated("other", new ShelfPrice("", 2)));
        Assert.Equal(new PriceBoard.Updated("kiwi", new ShelfPrice("kiwi", 2)), merged);

        Assert.Equal("{ \"value\": { \"sku\": \"fig\", \"cents\": \"10\" } }", JsonFormatter.Default.Format(added));
        Assert.Equal(ShelfPrice.Descriptor.File.Package + ".price_board.Deleted", PriceBoard.Deleted.Descriptor.FullName);
        Assert.Throws<ArgumentNullException>(() => new PriceBoard.Added("fig", null!));
    }
}
