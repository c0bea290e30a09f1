using Google.Protobuf.WellKnownTypes;
using KafkaTyped.IntegrationTests.Infrastructure;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>
/// Exactly-once consume–transform–produce on the embedded cluster: what it can show. librdkafka's mock runs
/// transactions and writes their commit and abort markers, but it does not store offsets sent to a transaction (KafkaTyped
/// commits them plainly after the transaction there) and it shows aborted records to read_committed consumers; so the
/// atomicity of output and offsets is verified only against a real broker (docs/producing-and-consuming.md).
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class TransactionalTests(EmbeddedClusterFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_transactional_group_commits_its_offsets_in_the_transaction_that_carries_each_record_s_output()
    {
        var scenario = TestHosts.NewScenario(fixture, "tx-flow", partitions: 3);
        var outputScenario = TestHosts.NewScenario(fixture, "tx-out", partitions: 3);
        TestEventsProducer? outputProducer = null;
        scenario.Behavior = async (handled, ct) =>
        {
            // An ordinary generated-producer call inside the handler: it joins the member's transaction.
            await outputProducer!.ProduceAsync(new StringValue { Value = $"out-{((Int64Value)handled.Message).Value}" }, handled.Key, cancellationToken: ct);
        };

        var logs = new CapturingLoggerProvider();
        using var host = await TestHosts.StartAsync(fixture, scenario, o => o.Transactional = true, logs: logs);
        outputProducer = new TestEventsProducer(host.Services.GetRequiredService<ProducerServices>(), outputScenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = 0; i < 60; i++)
        {
            await producer.ProduceAsync(new Int64Value { Value = i }, $"key-{i % 7}");
        }

        await scenario.WaitForCountAsync(60, Timeout);
        var high = RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 3);
        await EventuallyAsync(() => RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 3).OrderBy(c => c.Key).SequenceEqual(high.OrderBy(h => h.Key)), "the offsets are committed after the transaction");
        await host.StopAsync();
        Assert.DoesNotContain(logs.Entries, e => e.EventId == 1122); // no transaction was aborted
        output.WriteLine($"output end offsets: {string.Join(", ", RawKafka.HighWatermarks(fixture, outputScenario.Set.Topic, 3).OrderBy(h => h.Key).Select(h => $"{h.Key}:{h.Value}"))}");

        var written = RawKafka.ReadAll(fixture, outputScenario.Set.Topic, 3, 60, Timeout);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"out-{i}").Order(), written.Select(r => StringValue.Parser.ParseFrom(r.Message.Value.AsSpan(6)).Value).Order());

        // Commit markers take offsets of their own: the output partitions end past their record count.
        var outputHigh = RawKafka.HighWatermarks(fixture, outputScenario.Set.Topic, 3);
        Assert.True(outputHigh.Values.Sum() > 60, $"no transaction markers in the output (end offsets {string.Join(",", outputHigh.Values)})");
    }

    [Fact]
    public async Task A_transaction_that_cannot_commit_is_aborted_and_its_records_are_handled_again_before_their_offsets_are_committed()
    {
        var scenario = TestHosts.NewScenario(fixture, "tx-abort", partitions: 2);
        var logs = new CapturingLoggerProvider();
        using var host = await TestHosts.StartAsync(fixture, scenario, o =>
        {
            o.Transactional = true;
            o.CommitInterval = TimeSpan.FromMilliseconds(500);
        }, logs: logs);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        // The coordinator refuses the next offsets sent to a transaction, as it does for a member of an old generation.
        fixture.Cluster.PushRequestErrors(KafkaTyped.Embedded.KafkaApiKey.TxnOffsetCommit, Confluent.Kafka.ErrorCode.IllegalGeneration);
        for (var i = 0; i < 20; i++)
        {
            await producer.ProduceAsync(new Int64Value { Value = i }, $"key-{i}");
        }

        var high = RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 2);
        await EventuallyAsync(() => RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 2).OrderBy(c => c.Key).SequenceEqual(high.OrderBy(h => h.Key)), "the offsets are committed after a transaction succeeded");
        await host.StopAsync();

        Assert.Contains(logs.Entries, e => e.EventId == 1122); // the refused transaction was aborted
        var handled = scenario.Log.GroupBy(h => (h.Partition, h.Offset)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(20, handled.Count); // every record handled
        Assert.Contains(handled.Values, count => count >= 2); // the aborted transaction's records were handled again
        foreach (var partition in scenario.Log.GroupBy(h => h.Partition))
        {
            // Rewound, not skipped: within each pass a partition's records come in offset order from where it was committed.
            var offsets = partition.Select(h => h.Offset).ToList();
            Assert.Equal(0, offsets[0]);
        }
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
