using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class ConcurrencyTests(EmbeddedClusterFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Key_hash_lanes_run_one_partition_concurrently_keep_key_order_and_pause_when_full()
    {
        const int total = 200;
        const int keys = 16;
        var scenario = TestHosts.NewScenario(fixture, "lanes", partitions: 1);
        var inFlight = 0;
        var maxInFlight = 0;
        var lastPerKey = new ConcurrentDictionary<string, long>();
        var violations = new ConcurrentQueue<string>();
        scenario.Behavior = async (handled, cancellationToken) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            var value = ((Int64Value)handled.Message).Value;
            var previous = lastPerKey.GetOrAdd(handled.Key!, -1);
            if (value != previous + 1)
            {
                violations.Enqueue($"{handled.Key}: {value} after {previous}");
            }

            lastPerKey[handled.Key!] = value;
            await Task.Delay(2, cancellationToken);
            Interlocked.Decrement(ref inFlight);
        };

        var logs = new CapturingLoggerProvider();
        using var host = await TestHosts.StartAsync(fixture, scenario, o =>
        {
            o.MaxConcurrencyPerPartition = 4;
            o.MaxBufferedPerPartition = 20;
        }, logs: logs);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var next = new long[keys];
        for (var i = 0; i < total; i++)
        {
            producer.Produce(new Int64Value { Value = next[i % keys]++ }, $"key-{i % keys}");
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        await scenario.WaitForCountAsync(total, TimeSpan.FromSeconds(60));
        await host.StopAsync();

        // A tiny buffer: the partition is paused and resumed many times over; nothing may be lost or reordered.
        foreach (var entry in logs.Entries.Where(e => e.EventId is 1115 or 1116 or 1102).Take(8))
        {
            output.WriteLine($"{entry.At.TotalMilliseconds:F0} ms {entry.EventId} {entry.Message}");
        }

        Assert.Empty(violations);
        Assert.InRange(Volatile.Read(ref maxInFlight), 2, 4);
        Assert.Contains(logs.Entries, e => e.EventId == 1115); // paused
        Assert.Contains(logs.Entries, e => e.EventId == 1116); // resumed
        Assert.Equal(RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 1), RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 1));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
