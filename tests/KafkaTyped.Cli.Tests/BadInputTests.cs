using KafkaTyped.Cli.Tests.Infrastructure;

namespace KafkaTyped.Cli.Tests;

/// <summary>Bad input gives one clear line on stderr and a non-zero exit a script can test, never a stack trace or a hang.</summary>
[Collection(CliCollection.Name)]
public sealed class BadInputTests(DevCluster dev)
{
    [Fact]
    public async Task An_unknown_topic_is_not_found()
    {
        Assert.Contains("'cli-no-such-topic' does not exist", Expect.OneErrorLine(await dev.RunAsync("consume", "cli-no-such-topic", "--from-beginning"), 3));
        Expect.OneErrorLine(await dev.RunAsync("produce", "cli-no-such-topic", "{}"), 3);

        // Asking must not have created it (the embedded cluster auto-creates topics a client names).
        var topics = Expect.Ok(await dev.RunAsync("topics", "list", "--json")).Json.AsArray();
        Assert.DoesNotContain(topics, t => t!["name"]!.GetValue<string>() == "cli-no-such-topic");
    }

    [Fact]
    public async Task Malformed_or_misfitting_JSON_is_bad_input()
    {
        Assert.Contains("malformed JSON", Expect.OneErrorLine(await dev.RunAsync("produce", "cli-orders", "{\"orderId\":", "--assembly", Tool.TestAssembly, "--type", "CliOrderPlaced"), 2));
        Assert.Contains("'nope' is not a field", Expect.OneErrorLine(await dev.RunAsync("produce", "cli-orders", "{\"nope\":1}", "--assembly", Tool.TestAssembly, "--type", "CliOrderPlaced"), 2));
        Assert.Contains("expected an integer", Expect.OneErrorLine(await dev.RunAsync("produce", "cli-orders", "{\"amountCents\":\"lots\"}", "--assembly", Tool.TestAssembly, "--type", "CliOrderPlaced"), 2));
        Assert.Contains("several messages", Expect.OneErrorLine(await dev.RunAsync("produce", "cli-orders", "{}", "--assembly", Tool.TestAssembly), 2));
        Expect.OneErrorLine(await dev.RunAsync("produce", "cli-orders", "{}", "--assembly", Tool.TestAssembly, "--type", "NoSuchMessage"), 3);
        Expect.OneErrorLine(await dev.RunWithInputAsync("{\"orderId\":\"a\",\"reason\":\"ok\"}\nnot json\n", "produce", "cli-orders", "--assembly", Tool.TestAssembly, "--type", "CliOrderCancelled"), 2);
    }

    [Fact]
    public async Task A_registry_that_is_down_or_a_cluster_that_is_unreachable_is_unavailable()
    {
        var closed = Ports.Free();
        Expect.Ok(await dev.RunAsync("produce", "cli-orders", "{\"orderId\":\"down\",\"reason\":\"x\"}", "--assembly", Tool.TestAssembly, "--type", "CliOrderCancelled"));
        var line = Expect.OneErrorLine(await dev.RunAsync("consume", "cli-orders", "--from-beginning", "--registry", $"http://127.0.0.1:{closed}"), 4);
        Assert.Contains("Schema Registry", line);
        Expect.OneErrorLine(await dev.RunAsync("schemas", "list", "--registry", $"http://127.0.0.1:{closed}"), 4);

        var unreachable = await Tool.RunAsync(["topics", "list", "--bootstrap-servers", $"127.0.0.1:{closed}", "--timeout", "2"]);
        Assert.Contains("cannot be reached", Expect.OneErrorLine(unreachable, 4));
    }

    [Fact]
    public async Task Usage_errors_exit_2()
    {
        Expect.OneErrorLine(await dev.RunAsync("topics", "list", "--no-such-option"), 2);
        Expect.OneErrorLine(await dev.RunAsync("topics", "create", "x", "--partitions", "0"), 2);
        Expect.OneErrorLine(await dev.RunAsync("produce", "cli-orders", "{}", "--key-type", "float", "--key", "1", "--assembly", Tool.TestAssembly, "--type", "CliOrderCancelled"), 2);
        Expect.OneErrorLine(await Tool.RunAsync(["schemas", "export", "--assembly", Path.Combine(Tool.Root, "missing.dll")]), 3);
        Assert.Equal(0, (await Tool.RunAsync(["--help"])).ExitCode);
    }
}
