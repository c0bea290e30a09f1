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
        output.WriteLine($"output end offsets: {string.Join(", ", RawKafka.HighWatermarks(fixture, outputScenario.Set.Topic, 3).OrderBy(h => h.Key).Select(h => $"{h.Key}:{h.Value}"))}");

        foreach (var entry in logs.Entries.Where(e => e.EventId is 1122 or 1110 or 1113 or 1107 or 1111))
        {
            output.WriteLine($"{entry.EventId} {entry.Message}");
        }

        var written = RawKafka.ReadAll(fixture, outputScenario.Set.Topic, 3, 60, Timeout);
        var outputs = written.Select(r => StringValue.Parser.ParseFrom(r.Message.Value.AsSpan(6)).Value).ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"out-{i}").Order(), outputs.Distinct().Order());

        // An output written twice can only come from a transaction that was aborted (the mock shows aborted records).
        Assert.True(outputs.Count == 60 || logs.Entries.Any(e => e.EventId == 1122), $"{outputs.Count} outputs for 60 records without an aborted transaction");

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

    [Fact]
    public async Task A_failing_handler_aborts_the_transaction_its_record_is_handled_again_and_a_poison_record_is_dead_lettered()
    {
        var scenario = TestHosts.NewScenario(fixture, "tx-fail", partitions: 1);
        var outputScenario = TestHosts.NewScenario(fixture, "tx-fail-out", partitions: 1);
        TestEventsProducer? outputProducer = null;
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<long, int>();
        scenario.Behavior = async (handled, ct) =>
        {
            var value = ((Int64Value)handled.Message).Value;
            var attempt = attempts.AddOrUpdate(value, 1, static (_, n) => n + 1);

            // The output is produced before the failure: the aborted transaction must take it away.
            await outputProducer!.ProduceAsync(new StringValue { Value = $"out-{value}-{attempt}" }, handled.Key, cancellationToken: ct);
            if ((value == 5 && attempt == 1) || value == 9)
            {
                throw new InvalidOperationException($"failing on {value}");
            }
        };

        var logs = new CapturingLoggerProvider();
        using var host = await TestHosts.StartAsync(fixture, scenario, o =>
        {
            o.Transactional = true;
            o.Retry.MaxAttempts = 3;
        }, logs: logs);
        outputProducer = new TestEventsProducer(host.Services.GetRequiredService<ProducerServices>(), outputScenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = 0; i < 12; i++)
        {
            await producer.ProduceAsync(new Int64Value { Value = i }, "k");
        }

        var high = RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 1);
        await EventuallyAsync(() => RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 1).SequenceEqual(high), "everything is committed");
        await host.StopAsync();

        Assert.Contains(logs.Entries, e => e.EventId == 1122);
        Assert.True(attempts[5] >= 2, "record 5 was handled again after its failure");
        Assert.Equal(3, attempts[9]); // MaxAttempts attempts, then dead-lettered without running the handler again
        var dead = Assert.Single(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 6, 1, Timeout));
        var header = KafkaTyped.Serialization.ConfluentWireFormat.ReadHeader(dead.Message.Value);
        Assert.Equal(9, Int64Value.Parser.ParseFrom(dead.Message.Value.AsSpan(header.PayloadOffset)).Value);
        Assert.All(Enumerable.Range(0, 12).Where(i => i != 9), i => Assert.True(attempts.ContainsKey(i), $"record {i} was never handled"));
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
