using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Embedded;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class ResilienceTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task A_broker_taken_down_and_up_mid_stream_loses_nothing()
    {
        const int total = 20_000;
        var scenario = TestHosts.NewScenario(fixture, "broker-down");
        using var host = await TestHosts.StartAsync(fixture, scenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        var produced = Task.Run(async () =>
        {
            var batch = new List<Task>(500);
            for (var i = 0; i < total; i++)
            {
                batch.Add(producer.ProduceAsync(new Int64Value { Value = i }, $"key-{i % 100}").AsTask());
                if (batch.Count == 500)
                {
                    await Task.WhenAll(batch); // every message acknowledged (acks=all) before the next batch
                    batch.Clear();
                    await Task.Delay(50);
                }
            }

            await Task.WhenAll(batch);
        });

        await scenario.WaitForCountAsync(total / 5, TimeSpan.FromSeconds(60));
        fixture.Cluster.SetBrokerDown(1);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        finally
        {
            fixture.Cluster.SetBrokerUp(1);
        }

        await produced;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DistinctValues(scenario) < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(total, DistinctValues(scenario));
        await host.StopAsync();
    }

    private static int DistinctValues(TestScenario scenario) =>
        scenario.Log.Select(h => ((Int64Value)h.Message).Value).Distinct().Count();
}

[Collection(EmbeddedClusterCollection.Name)]
public sealed class DeadLetterOutageTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task While_the_dead_letter_cannot_be_written_nothing_past_the_failed_message_is_committed()
    {
        var scenario = TestHosts.NewScenario(fixture, "dlq-outage", partitions: 1);
        scenario.Behavior = static (handled, _) => handled.Message is StringValue { Value: "bad" } ? throw new NonRetryableException("rejected") : default;
        var logs = new CapturingLoggerProvider();
        using var host = await TestHosts.StartAsync(fixture, scenario, logs: logs);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        await producer.ProduceAsync(new StringValue { Value = "good-1" }, "k");
        await scenario.WaitForCountAsync(1, TimeSpan.FromSeconds(30));

        // The next produce requests (the dead letter's) fail with a permanent error, three times.
        var bad = await producer.ProduceAsync(new StringValue { Value = "bad" }, "k");
        fixture.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed, ErrorCode.TopicAuthorizationFailed);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!logs.Entries.Any(e => e.EventId == 1109) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(logs.Entries, e => e.EventId == 1109);
        await Task.Delay(500); // a commit interval passes while the dead letter is still failing
        var committed = RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 1)[0];
        Assert.True(committed <= bad.Offset.Value, $"committed {committed} past the undelivered dead letter at {bad.Offset.Value}");

        var dead = Assert.Single(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 1, 1, TimeSpan.FromSeconds(30)));
        Assert.Equal("rejected", RawKafka.Header(dead, KafkaTyped.Consuming.DeadLetterHeaders.ExceptionMessage));
        await host.StopAsync();
        Assert.Equal(bad.Offset.Value + 1, RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 1)[0]);
    }
}
