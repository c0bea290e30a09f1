using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>Pausing and resuming a group or single partitions at run time through <see cref="IConsumerGroupControl"/>.</summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class PauseResumeTests(EmbeddedClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_paused_partition_holds_its_records_while_the_others_flow_and_gives_each_exactly_once_after_the_resume()
    {
        var scenario = TestHosts.NewScenario(fixture, "pause-partition", partitions: 2);
        using var host = await TestHosts.StartAsync(fixture, scenario);
        var control = host.Services.GetRequiredService<IConsumerGroupControl>();
        var status = host.Services.GetRequiredService<ConsumerGroupMonitor>().GetOrAdd(scenario.GroupId);
        await EventuallyAsync(() => status.AssignedPartitions == 2, "the member owns both partitions");

        control.Pause(scenario.GroupId, scenario.Set.Topic, 0);
        Assert.True(control.IsPaused(scenario.GroupId, scenario.Set.Topic, 0));
        await EventuallyAsync(() => status.PausedByApplication.Count == 1, "the pause took hold");

        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        var partitions = new List<int>();
        for (var i = 0; i < 100; i++)
        {
            partitions.Add((await producer.ProduceAsync(new Int64Value { Value = i }, $"key-{i}")).Partition.Value);
        }

        var onPartition1 = partitions.Count(p => p == 1);
        var onPartition0 = partitions.Count(p => p == 0);
        Assert.True(onPartition0 > 0 && onPartition1 > 0);

        // Partition 1's records, produced interleaved with partition 0's, all get through: partition 0's do not.
        await scenario.WaitForCountAsync(onPartition1, Timeout);
        Assert.All(scenario.Log, h => Assert.Equal(1, h.Partition));
        Assert.Equal(onPartition1, scenario.Count);

        control.Resume(scenario.GroupId, scenario.Set.Topic, 0);
        await scenario.WaitForCountAsync(100, Timeout);
        var fromPartition0 = scenario.Log.Where(h => h.Partition == 0).Select(h => h.Offset).ToList();
        Assert.Equal(Enumerable.Range(0, onPartition0).Select(i => (long)i), fromPartition0); // in order, each once
        await EventuallyAsync(() => RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 2).OrderBy(c => c.Key).SequenceEqual(RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 2).OrderBy(h => h.Key)), "everything is committed");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_group_paused_before_it_joins_starts_paused_on_every_partition_it_is_given()
    {
        var scenario = TestHosts.NewScenario(fixture, "pause-group", partitions: 3);
        using var host = TestHosts.Build(fixture, scenario);
        var control = host.Services.GetRequiredService<IConsumerGroupControl>();
        control.Pause(scenario.GroupId);
        await host.StartAsync();
        var status = host.Services.GetRequiredService<ConsumerGroupMonitor>().GetOrAdd(scenario.GroupId);
        await EventuallyAsync(() => status.AssignedPartitions == 3 && status.PausedByApplication.Count == 3, "every assigned partition is paused");

        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = 0; i < 30; i++)
        {
            await producer.ProduceAsync(new Int64Value { Value = i }, $"key-{i}");
        }

        Assert.Equal(0, scenario.Count);
        control.Resume(scenario.GroupId);
        await scenario.WaitForCountAsync(30, Timeout);
        Assert.Equal(30, scenario.Log.Select(h => (h.Partition, h.Offset)).Distinct().Count());
        Assert.Empty(status.PausedByApplication);
        await host.StopAsync();
    }

    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
