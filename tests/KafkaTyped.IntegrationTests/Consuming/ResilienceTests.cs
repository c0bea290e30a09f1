using Google.Protobuf.WellKnownTypes;
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
