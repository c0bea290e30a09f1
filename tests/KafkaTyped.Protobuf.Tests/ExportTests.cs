using KafkaTyped.Generated;
using KafkaTyped.Testing.Protoc;
using KafkaTyped.Protobuf.Tests.Samples;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Protobuf.Tests;

public sealed class ExportTests
{
    [Fact]
    public void Registry_lists_every_file_and_set()
    {
        Assert.Contains(OrderEventsSet.Instance, ProtoSchemas.Sets);
        Assert.Contains(Money.ProtoFile, ProtoSchemas.Files);
        Assert.Contains(OrderEventsSet.ProtoFile, ProtoSchemas.Files);
        Assert.Equal(ProtoSchemas.Files.Select(f => f.Name).Distinct().Count(), ProtoSchemas.Files.Count);
        Assert.Equal(ProtoSchemas.Files.Select(f => f.Name).Order(StringComparer.Ordinal), ProtoSchemas.Files.Select(f => f.Name));
    }

    [Fact]
    public void Exported_files_compile_with_protoc()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kafkatyped-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            IReadOnlyList<string> written = ProtoFileExporter.Export([OrderEventsSet.Instance.File], dir);
            Assert.Equal([Path.Combine(dir, "compat/samples/money.proto"), Path.Combine(dir, "compat/samples/order_events.proto")], written);

            written = ProtoSchemas.Export(dir);
            Assert.Equal(ProtoSchemas.Files.Count, written.Count);
            ProtocTool.Run(["-I", dir, "--descriptor_set_out=" + Path.Combine(dir, "all.pb"), .. ProtoSchemas.Files.Select(f => f.Name)]);
            Assert.True(File.Exists(Path.Combine(dir, "all.pb")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
