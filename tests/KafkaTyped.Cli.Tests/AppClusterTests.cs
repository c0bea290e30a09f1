using System.Text.Json.Nodes;
using Confluent.Kafka;
using KafkaTyped.Cli.Tests.Infrastructure;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Cli.Tests;

/// <summary>The tool joining an application's embedded cluster (hosted in this test process) by its bootstrap list.</summary>
[Collection(CliCollection.Name)]
public sealed class AppClusterTests(AppCluster app)
{
    [Fact]
    public async Task The_tool_writes_the_same_bytes_as_the_generated_producer_and_reads_them_back()
    {
        var producer = app.Services.GetRequiredService<ICliOrdersProducer>();
        var id = "same-" + Guid.NewGuid().ToString("N")[..8];
        var placedAt = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var fromApp = await producer.ProduceAsync(new CliOrderPlaced(id, 4200, placedAt));

        var fromTool = Expect.Ok(await app.RunAsync(
            "produce", "cli-orders", $$"""{"orderId":"{{id}}","amountCents":"4200","placedAt":"2026-05-06T07:08:09Z"}""",
            "--assembly", Tool.TestAssembly, "--type", "CliOrderPlaced", "--json")).JsonLines.Single();

        // Same key, so the same partition (murmur2); then byte-for-byte the same key and framed value.
        Assert.Equal(fromApp.Partition.Value, fromTool["partition"]!.GetValue<int>());
        var cluster = app.Services.GetRequiredService<KafkaCluster>();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(cluster.CreateConsumerConfig("cli-test-raw-reader")).Build();
        var app0 = Read(consumer, new TopicPartitionOffset("cli-orders", fromApp.Partition, fromApp.Offset));
        var tool0 = Read(consumer, new TopicPartitionOffset("cli-orders", fromApp.Partition, fromTool["offset"]!.GetValue<long>()));
        Assert.Equal(app0.Message.Key, tool0.Message.Key);
        Assert.Equal(app0.Message.Value, tool0.Message.Value);

        var read = Expect.Ok(await app.RunAsync("consume", "cli-orders", "--partition", fromApp.Partition.Value.ToString(), "--offset", fromApp.Offset.Value.ToString(), "--max", "1", "--json")).JsonLines.Single();
        Assert.Equal(CliOrdersSet.Instance.MessageNames.Single(n => n.EndsWith(".CliOrderPlaced", StringComparison.Ordinal)), read["type"]!.GetValue<string>());
        Assert.Equal("2026-05-06T07:08:09Z", read["value"]!["placedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dead_letters_of_the_applications_group_are_shown_and_its_lag_is_read_by_name()
    {
        var producer = app.Services.GetRequiredService<ICliOrdersProducer>();
        var id = "rejected-" + Guid.NewGuid().ToString("N")[..8];
        await producer.ProduceAsync(new CliOrderPlaced(id, -1, DateTimeOffset.UnixEpoch));

        // The group dead-letters it; poll the tool until it shows (a wait, not a timing assertion).
        JsonObject? dead = null;
        for (var attempt = 0; attempt < 60 && dead is null; attempt++)
        {
            var shown = Expect.Ok(await app.RunAsync("dlq", "show", "cli-orders", "--json"));
            dead = shown.JsonLines.FirstOrDefault(r => r["key"]?.GetValue<string>() == id);
            if (dead is null)
            {
                await Task.Delay(500);
            }
        }

        Assert.NotNull(dead);
        Assert.Equal("cli-billing", dead["deadLetter"]!["group"]!.GetValue<string>());
        Assert.Equal(typeof(NonRetryableException).FullName, dead["deadLetter"]!["errorType"]!.GetValue<string>());
        Assert.Equal("negative amount", dead["deadLetter"]!["errorMessage"]!.GetValue<string>());
        Assert.Equal(-1, long.Parse(dead["value"]!["amountCents"]!.GetValue<string>()));

        // The mock cannot list groups: the application wrote its group into the cluster's roster, which the tool (another
        // process) reads; the assembly names the groups it declares, started or not; describe works by name.
        var rostered = Expect.Ok(await app.RunAsync("groups", "list", "--json")).Json.AsArray();
        Assert.Equal("embedded cluster", rostered.Single(g => g!["group"]!.GetValue<string>() == "cli-billing")!["source"]!.GetValue<string>());
        var listed = Expect.Ok(await app.RunAsync("groups", "list", "--assembly", Tool.TestAssembly, "--json")).Json.AsArray();
        Assert.Contains(listed, g => g!["group"]!.GetValue<string>() == "cli-billing");
        var described = Expect.Ok(await app.RunAsync("groups", "describe", "cli-billing", "--json")).Json;
        Assert.NotEmpty(described["partitions"]!.AsArray());
        Assert.All(described["partitions"]!.AsArray(), p => Assert.Equal("cli-orders", p!["topic"]!.GetValue<string>()));
        Assert.True(described["totalLag"]!.GetValue<long>() >= 0);
    }

    [Fact]
    public async Task Topics_and_schemas_of_the_application_are_read_and_admin_the_cluster_lacks_is_one_clear_line()
    {
        var topics = Expect.Ok(await app.RunAsync("topics", "list", "--json")).Json.AsArray();
        Assert.Equal(3, topics.Single(t => t!["name"]!.GetValue<string>() == "cli-orders")!["partitions"]!.GetValue<int>());
        Assert.Contains("application", Expect.OneErrorLine(await app.RunAsync("topics", "create", "cli-not-allowed"), 5));
        Expect.OneErrorLine(await app.RunAsync("topics", "delete", "cli-orders"), 5);

        // The registry is found through the cluster, as applications joining it find it.
        var subjects = Expect.Ok(await app.RunAsync("schemas", "list", "--json")).Json.AsArray();
        Assert.Contains(subjects, s => s!["subject"]!.GetValue<string>() == "cli-orders-value");
    }

    [Fact]
    public async Task The_AsyncAPI_document_of_the_assembly_validates_and_describes_topics_sets_keys_and_groups()
    {
        var result = Expect.Ok(await Tool.RunAsync(["schemas", "export", "--assembly", Tool.TestAssembly, "--asyncapi", "-"]));
        Expect.ValidAsyncApi(result.Stdout);
        var document = result.Json;
        Assert.Equal("3.0.0", document["asyncapi"]!.GetValue<string>());
        var channel = document["channels"]!["cli-orders"]!;
        Assert.Equal(3, channel["bindings"]!["kafka"]!["partitions"]!.GetValue<int>());
        Assert.Equal(2, channel["messages"]!.AsObject().Count);
        var placed = document["components"]!["messages"]![CliOrdersSet.Instance.MessageNames.Single(n => n.EndsWith(".CliOrderPlaced", StringComparison.Ordinal))]!;
        Assert.Equal("string", placed["bindings"]!["kafka"]!["key"]!["type"]!.GetValue<string>());
        Assert.Contains("message CliOrderPlaced", placed["payload"]!["schema"]!.GetValue<string>());
        var receive = document["operations"]!["cli-billing_receive_cli-orders"]!;
        Assert.Equal("receive", receive["action"]!.GetValue<string>());
        Assert.Equal("cli-billing", receive["bindings"]!["kafka"]!["groupId"]!["enum"]![0]!.GetValue<string>());
        Assert.NotNull(document["channels"]!["cli-orders.dlq"]);
        Assert.Equal("send", document["operations"]!["send_cli-orders"]!["action"]!.GetValue<string>());

        // The .proto files at their import paths.
        var folder = Path.Combine(Tool.Root, "assembly-protos-" + Guid.NewGuid().ToString("N"));
        var files = Expect.Ok(await Tool.RunAsync(["schemas", "export", "--assembly", Tool.TestAssembly, "--out", folder, "--json"])).Json["files"]!.AsArray();
        var proto = Assert.Single(files)!.GetValue<string>();
        Assert.Equal(CliOrdersSet.Instance.File.Text, await File.ReadAllTextAsync(proto));
    }

    private static ConsumeResult<byte[], byte[]> Read(IConsumer<byte[], byte[]> consumer, TopicPartitionOffset at)
    {
        consumer.Assign(at);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } result)
            {
                return result;
            }
        }

        throw new TimeoutException($"nothing at {at}");
    }
}
