using System.Collections.Concurrent;
using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace KafkaTyped.IntegrationTests.Consuming;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class RebalanceTests(EmbeddedClusterFixture fixture, ITestOutputHelper output)
{
    private const int Keys = 500;

    [Fact]
    public async Task Hundred_thousand_messages_two_consumers_and_a_third_joining_mid_stream_are_all_handled_in_key_order()
    {
        const int total = 100_000;
        var scenario = TestHosts.NewScenario(fixture, "rebalance");
        var order = new KeyOrderChecker();
        scenario.Behavior = order.Check;

        var logs = new CapturingLoggerProvider();
        using var first = await TestHosts.StartAsync(fixture, scenario, hostName: "first", logs: logs);
        using var second = await TestHosts.StartAsync(fixture, scenario, hostName: "second");
        var producer = first.Services.GetRequiredService<TestEventsProducer>();

        // Produce at a steady pace in the background so the third consumer joins while records still arrive. The
        // second half waits until the third consumer handled something: on a loaded machine its join (about
        // session.timeout.ms) could otherwise outlast the whole stream and leave it nothing to do.
        var thirdStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var produced = Task.Run(async () =>
        {
            Action<DeliveryReport<string, Int64Value>> onDelivered = static report => Assert.False(report.Error.IsError, report.Error.Reason);
            var next = new int[Keys];
            for (var i = 0; i < total; i++)
            {
                var key = i % Keys;
                producer.Produce(new Int64Value { Value = next[key]++ }, $"key-{key}", onDelivered);
                if (i % 2_000 == 1_999)
                {
                    await Task.Delay(100);
                }

                if (i == total / 2)
                {
                    await thirdStarted.Task.WaitAsync(TimeSpan.FromSeconds(60));
                    var deadline = DateTime.UtcNow.AddSeconds(60);
                    while (!scenario.Log.Any(h => h.Host == "third") && DateTime.UtcNow < deadline && i < total - 1)
                    {
                        i++;
                        key = i % Keys;
                        producer.Produce(new Int64Value { Value = next[key]++ }, $"key-{key}", onDelivered);
                        await Task.Delay(50);
                    }
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        });

        await scenario.WaitForCountAsync(total / 4, TimeSpan.FromSeconds(60));
        using var third = await TestHosts.StartAsync(fixture, scenario, hostName: "third");
        thirdStarted.SetResult();
        await produced;
        await order.WaitForAllAsync(total, Keys, TimeSpan.FromSeconds(90));

        output.WriteLine($"handled {scenario.Count} times for {total} messages (duplicates {scenario.Count - total}); handlers per host: " +
            string.Join(", ", scenario.Log.GroupBy(h => h.Host).Select(g => $"{g.Key} {g.Count()}")));
        Assert.Empty(order.Violations);
        Assert.Equal(["first", "second", "third"], scenario.Log.Select(h => h.Host).Distinct().Order());
        foreach (var entry in logs.Entries.Where(e => e.EventId is 1102 or 1103 or 1104 or 1105))
        {
            output.WriteLine($"{entry.At.TotalMilliseconds:F0} ms {entry.EventId} {entry.Message}");
        }

        // A rolling shutdown. The embedded cluster refuses commits while the group rebalances (real brokers accept them
        // from the current generation during the revoke), so commits made during a rebalance may fail: the remaining
        // consumer then handles those records again and commits them. Nothing is ever committed past an unhandled record.
        await first.StopAsync();
        await second.StopAsync();
        var high = RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 6);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 6).OrderBy(c => c.Key).SequenceEqual(high.OrderBy(h => h.Key)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await third.StopAsync();
        Assert.Equal(high, RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 6));
        Assert.Empty(order.Violations);
    }

    /// <summary>
    /// Per key, a value may be handled again (redelivery after a rebalance) but never before its predecessor was handled
    /// at least once: that is per-key order under at-least-once delivery.
    /// </summary>
    private sealed class KeyOrderChecker
    {
        private readonly ConcurrentDictionary<string, long> highest = new();
        private int distinct;

        public ConcurrentQueue<string> Violations { get; } = new();

        public ValueTask Check(Handled handled, CancellationToken cancellationToken)
        {
            var value = ((Int64Value)handled.Message).Value;
            var key = handled.Key!;
            var before = highest.GetOrAdd(key, -1);
            if (value > before + 1)
            {
                Violations.Enqueue($"{key}: {value} handled before {before + 1}");
            }
            else if (value == before + 1)
            {
                highest[key] = value;
                Interlocked.Increment(ref distinct);
            }

            return default;
        }

        public async Task WaitForAllAsync(int total, int keys, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (Volatile.Read(ref distinct) < total)
            {
                if (DateTime.UtcNow > deadline || !Violations.IsEmpty)
                {
                    throw new TimeoutException($"{Volatile.Read(ref distinct)} of {total} messages handled; violations: {string.Join("; ", Violations.Take(5))}");
                }

                await Task.Delay(100);
            }

            Assert.Equal(keys, highest.Count);
        }
    }
}
