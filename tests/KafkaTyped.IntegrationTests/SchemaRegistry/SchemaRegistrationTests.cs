using System.Buffers;
using System.Diagnostics;
using Confluent.Kafka;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.Protobuf;
using KafkaTyped.SchemaRegistry;
using KafkaTyped.Serialization;
using KafkaTyped.Tests.Protos;
using KafkaTyped.Tests.Protos.Shop;
using static KafkaTyped.IntegrationTests.SchemaRegistry.RegistryTestHelpers;

namespace KafkaTyped.IntegrationTests.SchemaRegistry;

/// <summary>Startup registration, framing and index resolution end to end on the embedded cluster and registry.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class SchemaRegistrationTests(EmbeddedClusterFixture fixture)
{
    [Theory]
    [InlineData(RegistryClientKind.KafkaTyped)]
    [InlineData(RegistryClientKind.Confluent)]
    public async Task Auto_registration_registers_imports_depth_first_then_the_set(RegistryClientKind kind)
    {
        await using var registry = await StartRegistryAsync(fixture);
        var client = Client(kind, registry.Url);
        var registration = new SchemaRegistration(client);

        var payments = TestMessageSets.Payments("payments");
        var registered = await registration.RegisterAsync(payments);

        Assert.Equal(["payments-value"], registered.Subjects);
        Assert.Equal(MessageIndexPath.TopLevel(1), registered.GetPath(1));
        // common/money.proto is registered under its file name; google/protobuf/timestamp.proto is built in and skipped.
        Assert.Equal(["common/money.proto", "payments-value"], (await client.GetSubjectsAsync()).Order(StringComparer.Ordinal));
        var stored = await client.GetSchemaByIdAsync(registered.SchemaId);
        Assert.Equal("common/money.proto", Assert.Single(stored.References).Subject);

        // A second process (fresh client) gets the same id without registering anything new.
        var other = Client(kind, registry.Url);
        var again = await new SchemaRegistration(other, new SchemaRegistrationOptions { AutoRegisterSchemas = false }).RegisterAsync(payments);
        Assert.Equal(registered.SchemaId, again.SchemaId);
        Assert.Equal(1, again.Version);
    }

    [Theory]
    [InlineData(RegistryClientKind.KafkaTyped)]
    [InlineData(RegistryClientKind.Confluent)]
    public async Task Lookup_mode_reports_every_problem_at_once(RegistryClientKind kind)
    {
        await using var registry = await StartRegistryAsync(fixture);
        var client = Client(kind, registry.Url);

        // orders-value holds an incompatible version of Order; payments was never registered.
        await client.RegisterSchemaAsync("orders-value", Text(OrderIncompatible));
        var registration = new SchemaRegistration(client, new SchemaRegistrationOptions { AutoRegisterSchemas = false });

        var exception = await Assert.ThrowsAsync<SchemaRegistrationException>(() => registration.RegisterAsync([TestMessageSets.Orders("orders"), TestMessageSets.Payments("payments")]));

        Assert.Equal(2, exception.Problems.Count);
        // KafkaTyped's client gives the registry's reasons; Confluent's answers a bare verdict.
        var reason = kind == RegistryClientKind.KafkaTyped ? "FIELD_SCALAR_KIND_CHANGED" : "incompatible with the latest registered version";
        Assert.Contains(exception.Problems, p => p.Contains("'orders-value'", StringComparison.Ordinal) && p.Contains(reason, StringComparison.Ordinal));
        Assert.Contains(exception.Problems, p => p.Contains("'common/money.proto'", StringComparison.Ordinal) && p.Contains("AutoRegisterSchemas", StringComparison.Ordinal));
        Assert.Contains("2 schema problem(s)", exception.Message, StringComparison.Ordinal);

        // Auto-registration of the incompatible set fails with 409 explained.
        var auto = await Assert.ThrowsAsync<SchemaRegistrationException>(() => new SchemaRegistration(client).RegisterAsync(TestMessageSets.Orders("orders")));
        Assert.Contains("incompatible", Assert.Single(auto.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_strategies_register_under_each_member_name()
    {
        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        var set = TestMessageSets.Orders("orders");

        var byRecord = await new SchemaRegistration(client, new SchemaRegistrationOptions { SubjectNameStrategy = SubjectNameStrategy.Record }).RegisterAsync(set);
        var byTopicRecord = await new SchemaRegistration(client, new SchemaRegistrationOptions { SubjectNameStrategy = SubjectNameStrategy.TopicRecord }).RegisterAsync(set);

        Assert.Equal(["shop.Order", "shop.Envelope"], byRecord.Subjects);
        Assert.Equal(["orders-shop.Order", "orders-shop.Envelope"], byTopicRecord.Subjects);
        Assert.Equal(byRecord.GetSchemaId(0), byTopicRecord.GetSchemaId(1));
        Assert.Equal(MessageIndexPath.TopLevel(1), byTopicRecord.GetPath(1));
    }

    [Theory]
    [InlineData(RegistryClientKind.KafkaTyped)]
    [InlineData(RegistryClientKind.Confluent)]
    public async Task Records_written_with_another_version_of_the_set_are_resolved_by_message_name(RegistryClientKind kind)
    {
        await using var registry = await StartRegistryAsync(fixture);
        var writerClient = Client(kind, registry.Url);
        var readerClient = Client(kind, registry.Url);

        // The reader registers v1 (Order first); a newer writer registers v2 (Refund first, so Order is index 1).
        var v1 = await new SchemaRegistration(readerClient).RegisterAsync(TestMessageSets.Orders("orders"));
        var v2 = await new SchemaRegistration(writerClient).RegisterAsync(TestMessageSets.OrdersV2("orders"));
        Assert.NotEqual(v1.SchemaId, v2.SchemaId);

        var bytes = new ProtobufWireSerializer(v2).ToArray(1, new KafkaTyped.Tests.Protos.ShopV2.Order { Id = "A-1", Qty = 150, Note = "new field" });
        var resolver = new MessageIndexResolver(v1, readerClient);
        var header = ConfluentWireFormat.ReadHeader(bytes);
        Assert.False(resolver.TryResolve(header, out _));

        var local = await resolver.ResolveAsync(header);
        Assert.Equal(0, local);
        Assert.True(resolver.TryResolve(header, out var cached));
        Assert.Equal(0, cached);
        var order = ProtobufWireSerializer.ParsePayload(Order.Parser, bytes.AsSpan(header.PayloadOffset));
        Assert.Equal(("A-1", 150), (order.Id, order.Qty));

        // Refund (index 0 of v2) is not a member of v1's set; an unknown id is a format error, not a crash.
        var refund = await Assert.ThrowsAsync<MessageFormatException>(async () => await resolver.ResolveAsync(new WireHeader(v2.SchemaId, MessageIndexPath.TopLevel(0), 6), "orders", 0, 10));
        Assert.Contains("names no message", refund.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<MessageFormatException>(async () => await resolver.ResolveAsync(new WireHeader(424242, MessageIndexPath.TopLevel(0), 6), "orders", 1, 11));
        Assert.Equal((424242, 1, 11L), (unknown.SchemaId!.Value, unknown.Partition!.Value, unknown.Offset!.Value));
    }

    [Theory]
    [InlineData(RegistryClientKind.KafkaTyped)]
    [InlineData(RegistryClientKind.Confluent)]
    public async Task Use_latest_version_writes_with_the_registered_schema_and_its_indexes(RegistryClientKind kind)
    {
        await using var registry = await StartRegistryAsync(fixture);
        var client = Client(kind, registry.Url);
        var v2 = await new SchemaRegistration(client).RegisterAsync(TestMessageSets.OrdersV2("orders"));

        var latest = await new SchemaRegistration(client, new SchemaRegistrationOptions { UseLatestVersion = true }).RegisterAsync(TestMessageSets.Orders("orders"));
        Assert.Equal(v2.SchemaId, latest.GetSchemaId(0));
        Assert.Equal(MessageIndexPath.TopLevel(1), latest.GetPath(0)); // shop.Order is the second message of v2
        Assert.Equal(MessageIndexPath.TopLevel(2), latest.GetPath(1));
        Assert.Equal(1, latest.Version);

        var missing = new SchemaRegistration(client, new SchemaRegistrationOptions { UseLatestVersion = true });
        var exception = await Assert.ThrowsAsync<SchemaRegistrationException>(() => missing.RegisterAsync(TestMessageSets.Payments("orders")));
        Assert.Equal(2, exception.Problems.Count); // both PaymentTaken and PaymentRefunded are absent
    }

    [Fact]
    public async Task Kcat_reads_the_framed_bytes_and_protoc_decodes_the_payload()
    {
        if (!Tool.Exists("kcat"))
        {
            Assert.Fail("kcat is required: ./test.sh installs it (or: sudo apt-get install -y kcat)");
        }

        await using var registry = await StartRegistryAsync(fixture);
        using var client = Client(registry.Url);
        var topic = fixture.NewTopic("sr-interop", partitions: 1);
        var registered = await new SchemaRegistration(client).RegisterAsync(TestMessageSets.Orders(topic));
        var serializer = new ProtobufWireSerializer(registered);

        using (var producer = new ProducerBuilder<Null, byte[]>(fixture.ProducerConfig()).Build())
        {
            var buffer = new ArrayBufferWriter<byte>();
            serializer.Serialize(buffer, 0, new Order { Id = "A-1", Qty = 150 });
            await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = buffer.WrittenSpan.ToArray() });
        }

        var framed = await Tool.RunAsync("kcat", $"-b {fixture.BootstrapServers} -C -t {topic} -o beginning -c 1 -e -q -f %s", null);
        Assert.Equal(14, framed.Length);
        var header = ConfluentWireFormat.ReadHeader(framed);
        Assert.Equal(registered.SchemaId, header.SchemaId);

        var protoDirectory = Path.Combine(AppContext.BaseDirectory, "Protos");
        var decoded = System.Text.Encoding.UTF8.GetString(KafkaTyped.Testing.Protoc.ProtocTool.Run([$"--proto_path={protoDirectory}", "--decode=shop.Order", "orders.proto"], framed[header.PayloadOffset..]));
        Assert.Contains("id: \"A-1\"", decoded, StringComparison.Ordinal);
        Assert.Contains("qty: 150", decoded, StringComparison.Ordinal);
    }

    private static class Tool
    {
        public static bool Exists(string name) =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(dir => File.Exists(Path.Combine(dir, name)));

        public static async Task<byte[]> RunAsync(string file, string arguments, byte[]? stdin)
        {
            var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            if (stdin is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            }

            process.StandardInput.Close();
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            await copy;
            Assert.True(process.ExitCode == 0, $"{file} {arguments} exited with {process.ExitCode}: {await errors}");
            return output.ToArray();
        }
    }
}
