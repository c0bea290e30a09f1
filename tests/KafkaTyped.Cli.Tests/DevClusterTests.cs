using System.Text.Json.Nodes;
using KafkaTyped.Cli.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.Cli.Tests;

/// <summary>Every command against <c>kafkatyped dev</c>, a cluster in a process of its own.</summary>
[Collection(CliCollection.Name)]
public sealed class DevClusterTests(DevCluster dev)
{
    private static string PlacedType => CliOrdersSet.Instance.MessageNames.Single(n => n.EndsWith(".CliOrderPlaced", StringComparison.Ordinal));

    private static string CancelledType => CliOrdersSet.Instance.MessageNames.Single(n => n.EndsWith(".CliOrderCancelled", StringComparison.Ordinal));

    [Fact]
    public async Task Dev_prints_the_settings_that_join_it_and_an_appsettings_file_with_them_is_enough()
    {
        var environment = dev.Ready["environment"]!.AsObject();
        Assert.Equal(dev.BootstrapServers, environment["KafkaTyped__BootstrapServers"]!.GetValue<string>());
        Assert.Equal(dev.RegistryUrl, environment["KafkaTyped__SchemaRegistry__Urls__0"]!.GetValue<string>());

        // The appsettings snippet, in a folder of its own, is all a command needs.
        var folder = Directory.CreateDirectory(Path.Combine(Tool.Root, "appsettings-" + Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), dev.Ready["appsettings"]!.ToJsonString());
        var listed = Expect.Ok(await Tool.RunAsync(["topics", "list", "--json"], workingDirectory: folder));
        var topic = listed.Json.AsArray().Single(t => t!["name"]!.GetValue<string>() == "cli-orders")!;
        Assert.Equal(3, topic["partitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task Consume_prints_every_field_even_when_the_applications_consumers_skip_them()
    {
        await RegisterSchemaAsync();

        // appsettings.json as the application has it, telling its consumers to skip headers, timestamps and topic names.
        var settings = dev.Ready["appsettings"]!.DeepClone().AsObject();
        settings["KafkaTyped"]!["ConsumerSettings"] = new System.Text.Json.Nodes.JsonObject { ["dotnet.consumer.consume.result.fields"] = "none" };
        var folder = Directory.CreateDirectory(Path.Combine(Tool.Root, "appsettings-" + Guid.NewGuid().ToString("N"))).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), settings.ToJsonString());
        var id = "order-" + Guid.NewGuid().ToString("N")[..8];
        var produced = Expect.Ok(await Tool.RunAsync(
            ["produce", "cli-orders", $$"""{"orderId":"{{id}}","reason":"fields"}""", "--type", CancelledType, "--key", id, "--header", "source=fields-test", "--json"],
            workingDirectory: folder)).JsonLines.Single();

        var read = Expect.Ok(await Tool.RunAsync(
            ["consume", "cli-orders", "--partition", produced["partition"]!.ToString(), "--offset", produced["offset"]!.ToString(), "--max", "1", "--json"],
            workingDirectory: folder)).JsonLines.Single();

        Assert.Equal("fields-test", read["headers"]!["source"]!.GetValue<string>());
        Assert.NotNull(read["timestamp"]);
        Assert.Equal(id, read["key"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_application_joining_dev_writes_its_consumer_group_into_the_roster_that_groups_list_reads()
    {
        // The mock serves no ListGroups and dev never hears from the application: the group reaches `groups list`
        // only through the roster the application writes when its group starts.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KafkaTyped:BootstrapServers"] = dev.BootstrapServers });
        builder.Services.AddKafkaTyped(builder.Configuration);
        using var app = builder.Build();
        var before = Expect.Ok(await dev.RunAsync("groups", "list", "--json")).Json.AsArray();
        Assert.DoesNotContain(before, g => g!["group"]!.GetValue<string>() == "cli-billing");

        await app.StartAsync();
        try
        {
            var listed = Expect.Ok(await dev.RunAsync("groups", "list", "--json")).Json.AsArray();
            var billing = listed.Single(g => g!["group"]!.GetValue<string>() == "cli-billing")!;
            Assert.Equal("embedded cluster", billing["source"]!.GetValue<string>());
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Topics_are_created_listed_described_and_deleted_through_dev()
    {
        var name = "cli-topic-" + Guid.NewGuid().ToString("N")[..8];
        var created = Expect.Ok(await dev.RunAsync("topics", "create", name, "--partitions", "4", "--json"));
        Assert.True(created.Json["created"]!.GetValue<bool>());

        var listed = Expect.Ok(await dev.RunAsync("topics", "list", "--json")).Json.AsArray();
        Assert.Equal(4, listed.Single(t => t!["name"]!.GetValue<string>() == name)!["partitions"]!.GetValue<int>());
        Assert.DoesNotContain(listed, t => t!["name"]!.GetValue<string>() == "_schemas");

        var described = Expect.Ok(await dev.RunAsync("topics", "describe", name, "--json")).Json;
        var partitions = described["partitions"]!.AsArray();
        Assert.Equal([0, 1, 2, 3], partitions.Select(p => p!["partition"]!.GetValue<int>()));
        Assert.All(partitions, p =>
        {
            Assert.Equal(1, p!["leader"]!.GetValue<int>());
            Assert.Equal(0, p["endOffset"]!.GetValue<long>());
        });
        Assert.Null(described["configs"]);

        Expect.OneErrorLine(await dev.RunAsync("topics", "create", name), 1);
        Expect.Ok(await dev.RunAsync("topics", "create", name, "--if-not-exists"));
        Expect.Ok(await dev.RunAsync("topics", "delete", name));
        Assert.Contains("does not exist", Expect.OneErrorLine(await dev.RunAsync("topics", "describe", name), 3));
        Expect.OneErrorLine(await dev.RunAsync("topics", "delete", name), 3);
    }

    [Fact]
    public async Task Produce_with_the_assembly_keys_and_frames_like_the_application_and_consume_decodes_every_field()
    {
        var id = "order-" + Guid.NewGuid().ToString("N")[..8];
        var produced = Expect.Ok(await dev.RunAsync(
            "produce", "cli-orders", $$"""{"orderId":"{{id}}","amountCents":1250,"placedAt":"2026-03-04T05:06:07Z"}""",
            "--assembly", Tool.TestAssembly, "--type", "CliOrderPlaced", "--header", "source=cli-test", "--json")).JsonLines.Single();
        Assert.Equal(id, produced["key"]!.GetValue<string>());
        Assert.Equal(PlacedType, produced["type"]!.GetValue<string>());

        // JSON lines on stdin, with the schema the registry now has for the topic (no assembly).
        var lines = $$"""
            {"orderId":"{{id}}","reason":"changed mind"}
            {"orderId":"{{id}}-2","reason":"duplicate"}
            """;
        var fromStdin = Expect.Ok(await dev.RunWithInputAsync(lines, "produce", "cli-orders", "--type", CancelledType, "--key", id, "--json")).JsonLines;
        Assert.Equal(2, fromStdin.Count);
        Assert.All(fromStdin, r => Assert.Equal(produced["schemaId"]!.GetValue<int>(), r["schemaId"]!.GetValue<int>()));

        var records = Expect.Ok(await dev.RunAsync("consume", "cli-orders", "--from-beginning", "--json")).JsonLines
            .Where(r => r["key"]?.GetValue<string>() == id)
            .ToList();
        Assert.Equal(3, records.Count);
        var placed = records.Single(r => r["type"]!.GetValue<string>() == PlacedType);
        Assert.Equal(produced["partition"]!.GetValue<int>(), placed["partition"]!.GetValue<int>());
        Assert.Equal(produced["offset"]!.GetValue<long>(), placed["offset"]!.GetValue<long>());
        Assert.Equal("cli-test", placed["headers"]!["source"]!.GetValue<string>());
        Assert.NotNull(placed["timestamp"]);
        var value = placed["value"]!;
        Assert.Equal(id, value["orderId"]!.GetValue<string>());
        Assert.Equal("1250", value["amountCents"]!.GetValue<string>());
        Assert.Equal("2026-03-04T05:06:07Z", value["placedAt"]!.GetValue<string>());
        Assert.Contains(records, r => r["type"]!.GetValue<string>() == CancelledType && r["value"]!["reason"]!.GetValue<string>() == "changed mind");

        // --partition, --offset and --max select; the text form names the type.
        var one = Expect.Ok(await dev.RunAsync("consume", "cli-orders", "--partition", placed["partition"]!.ToString(), "--offset", placed["offset"]!.ToString(), "--max", "1", "--json")).JsonLines.Single();
        Assert.Equal(placed["offset"]!.GetValue<long>(), one["offset"]!.GetValue<long>());
        var text = Expect.Ok(await dev.RunAsync("consume", "cli-orders", "--partition", placed["partition"]!.ToString(), "--offset", placed["offset"]!.ToString(), "--max", "1"));
        Assert.Contains(PlacedType, text.Stdout);
        Assert.Contains("\"orderId\":\"" + id + "\"", text.Stdout);
    }

    [Fact]
    public async Task A_group_that_read_part_of_a_topic_shows_its_lag_per_partition_and_in_total()
    {
        await RegisterSchemaAsync();
        var topic = "cli-lag-" + Guid.NewGuid().ToString("N")[..8];
        var group = "cli-group-" + Guid.NewGuid().ToString("N")[..8];
        Expect.Ok(await dev.RunAsync("topics", "create", topic, "--partitions", "1"));
        var input = string.Join("\n", Enumerable.Range(0, 5).Select(i => $$"""{"orderId":"lag-{{i}}","reason":"r"}"""));
        Expect.Ok(await dev.RunWithInputAsync(input, "produce", topic, "--subject", "cli-orders-value", "--type", CancelledType));

        var read = Expect.Ok(await dev.RunAsync("consume", topic, "--group", group, "--from-beginning", "--max", "2", "--json")).JsonLines;
        Assert.Equal(2, read.Count);

        var described = Expect.Ok(await dev.RunAsync("groups", "describe", group, "--json")).Json;
        var partition = described["partitions"]!.AsArray().Single()!;
        Assert.Equal(topic, partition["topic"]!.GetValue<string>());
        Assert.Equal(2, partition["committed"]!.GetValue<long>());
        Assert.Equal(5, partition["endOffset"]!.GetValue<long>());
        Assert.Equal(3, partition["lag"]!.GetValue<long>());
        Assert.Equal(3, described["totalLag"]!.GetValue<long>());

        var listed = Expect.Ok(await dev.RunAsync("groups", "list", "--json")).Json.AsArray();
        Assert.Equal(3, listed.Single(g => g!["group"]!.GetValue<string>() == group)!["totalLag"]!.GetValue<long>());

        // --watch prints a snapshot per refresh until Ctrl-C.
        var watch = Tool.Start(["groups", "describe", group, "--watch", "--interval", "0.5", "--json", "--bootstrap-servers", dev.BootstrapServers]);
        var watchErrors = watch.StandardError.ReadToEndAsync(); // read while it runs: a full pipe would block it
        var first = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(3, JsonNode.Parse(first!)!["totalLag"]!.GetValue<long>());
        var rest = watch.StandardOutput.ReadToEndAsync();
        Assert.True(await DevCluster.StopAsync(watch) == 0, "groups --watch did not exit 0 on Ctrl-C: " + await watchErrors);
        await rest;

        Expect.OneErrorLine(await dev.RunAsync("groups", "describe", "cli-no-such-group"), 3);
    }

    [Fact]
    public async Task Schemas_are_listed_shown_exported_as_proto_files_and_valid_AsyncAPI_and_checked()
    {
        await RegisterSchemaAsync();
        var listed = Expect.Ok(await dev.RunAsync("schemas", "list", "--json")).Json.AsArray();
        var subject = listed.Single(s => s!["subject"]!.GetValue<string>() == "cli-orders-value")!;
        var id = subject["id"]!.GetValue<int>();

        var shown = Expect.Ok(await dev.RunAsync("schemas", "show", "cli-orders-value", "--json")).Json;
        Assert.Equal(id, shown["id"]!.GetValue<int>());
        Assert.Contains("message CliOrderPlaced", shown["schema"]!.GetValue<string>());
        Assert.Contains("message CliOrderCancelled", Expect.Ok(await dev.RunAsync("schemas", "show", id.ToString())).Stdout);
        Expect.OneErrorLine(await dev.RunAsync("schemas", "show", "no-such-subject"), 3);

        // From the registry: .proto files and an AsyncAPI document of its topics.
        var folder = Path.Combine(Tool.Root, "export-" + Guid.NewGuid().ToString("N"));
        var exported = Expect.Ok(await dev.RunAsync("schemas", "export", "--out", folder, "--asyncapi", Path.Combine(folder, "asyncapi.json"), "--json")).Json;
        Assert.Contains(exported["files"]!.AsArray(), f => f!.GetValue<string>().EndsWith("cli-orders-value.proto", StringComparison.Ordinal));
        var fromRegistry = await File.ReadAllTextAsync(Path.Combine(folder, "asyncapi.json"));
        Expect.ValidAsyncApi(fromRegistry);
        Assert.NotNull(JsonNode.Parse(fromRegistry)!["channels"]!["cli-orders"]);

        // Compatible and incompatible changes, judged by the registry's rules.
        var compatible = Path.Combine(folder, "compatible.proto");
        await File.WriteAllTextAsync(compatible, shown["schema"]!.GetValue<string>().Replace("message CliOrderCancelled {", "message CliOrderCancelled {\n  string note = 9;", StringComparison.Ordinal));
        var ok = Expect.Ok(await dev.RunAsync("schemas", "check", compatible, "--topic", "cli-orders", "--json")).Json;
        Assert.True(ok["compatible"]!.GetValue<bool>());
        var incompatible = Path.Combine(folder, "incompatible.proto");
        await File.WriteAllTextAsync(incompatible, "syntax = \"proto3\";\npackage other;\nmessage Only { string x = 1; }\n");
        var bad = await dev.RunAsync("schemas", "check", incompatible, "--topic", "cli-orders", "--json");
        Assert.Equal(6, bad.ExitCode);
        Assert.False(bad.Json["compatible"]!.GetValue<bool>());
        Assert.NotEmpty(bad.Json["messages"]!.AsArray());
        var broken = Path.Combine(folder, "broken.proto");
        await File.WriteAllTextAsync(broken, "syntax = \"proto3\"; message {");
        Assert.Contains("not valid .proto", Expect.OneErrorLine(await dev.RunAsync("schemas", "check", broken, "--topic", "cli-orders"), 2));
    }

    [Fact]
    public async Task Dead_letters_are_shown_with_their_error_headers_and_replayed_to_the_original_topic()
    {
        await RegisterSchemaAsync();
        var id = "dead-" + Guid.NewGuid().ToString("N")[..8];
        Expect.Ok(await dev.RunAsync("topics", "create", "cli-orders.dlq", "--if-not-exists"));
        var written = Expect.Ok(await dev.RunAsync(
            "produce", "cli-orders.dlq", $$"""{"orderId":"{{id}}","reason":"failed"}""", "--subject", "cli-orders-value", "--type", CancelledType, "--key", id,
            "-H", "kafkatyped.error.type=System.InvalidOperationException", "-H", "kafkatyped.error.message=boom", "-H", "kafkatyped.original.topic=cli-orders",
            "-H", "kafkatyped.original.partition=1", "-H", "kafkatyped.original.offset=42", "-H", "kafkatyped.attempts=3", "-H", "kafkatyped.consumer.group=cli-billing",
            "-H", "trace=abc", "--json")).JsonLines.Single();

        var shown = Expect.Ok(await dev.RunAsync("dlq", "show", "cli-orders", "--json")).JsonLines.Single(r => r["key"]!.GetValue<string>() == id);
        var error = shown["deadLetter"]!;
        Assert.Equal("System.InvalidOperationException", error["errorType"]!.GetValue<string>());
        Assert.Equal("boom", error["errorMessage"]!.GetValue<string>());
        Assert.Equal(42, error["originalOffset"]!.GetValue<long>());
        Assert.Equal("cli-billing", error["group"]!.GetValue<string>());
        Assert.Equal(id, shown["value"]!["orderId"]!.GetValue<string>());
        Assert.Contains("boom", Expect.Ok(await dev.RunAsync("dlq", "show", "cli-orders")).Stdout);

        var at = $"{written["partition"]}:{written["offset"]}";
        var dry = Expect.Ok(await dev.RunAsync("dlq", "replay", "cli-orders", "--offset", at, "--dry-run", "--json")).Json;
        Assert.Equal(0, dry["replayed"]!.GetValue<int>());
        var replayed = Expect.Ok(await dev.RunAsync("dlq", "replay", "cli-orders", "--offset", at, "--json")).Json;
        Assert.Equal(1, replayed["replayed"]!.GetValue<int>());
        var to = replayed["records"]![0]!["to"]!;
        Assert.Equal("cli-orders", to["topic"]!.GetValue<string>());

        var back = Expect.Ok(await dev.RunAsync("consume", "cli-orders", "--partition", to["partition"]!.ToString(), "--offset", to["offset"]!.ToString(), "--max", "1", "--json")).JsonLines.Single();
        Assert.Equal(id, back["key"]!.GetValue<string>());
        Assert.Equal("abc", back["headers"]!["trace"]!.GetValue<string>());
        Assert.Null(back["headers"]!["kafkatyped.error.type"]);
        Assert.Equal($"cli-orders.dlq/{written["partition"]}/{written["offset"]}", back["headers"]!["kafkatyped.replayed.from"]!.GetValue<string>());

        Expect.OneErrorLine(await dev.RunAsync("dlq", "replay", "cli-orders"), 2);
        Expect.OneErrorLine(await dev.RunAsync("dlq", "replay", "cli-orders", "--offset", "0:999999"), 3);
    }

    /// <summary>Registers the test assembly's set for cli-orders (idempotent), as the application would at startup.</summary>
    private async Task RegisterSchemaAsync() =>
        Expect.Ok(await dev.RunAsync("produce", "cli-orders", """{"orderId":"register","reason":"schema"}""", "--assembly", Tool.TestAssembly, "--type", "CliOrderCancelled"));
}
