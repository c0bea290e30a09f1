using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Diagnostics;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class MetricsTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task The_KafkaTyped_meter_counts_sent_consumed_failed_retried_dead_lettered_durations_and_lag()
    {
        var scenario = TestHosts.NewScenario(fixture, "metrics");
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == KafkaTypedDiagnostics.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == SemanticConventions.DestinationName && Equals(tag.Value, scenario.Set.Topic))
                {
                    totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
                }
            }
        }

        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, 1, t)); // histogram: count recordings
        listener.Start();

        scenario.Behavior = static (handled, _) => handled.Message switch
        {
            StringValue { Value: "poison-pill" } => throw new InvalidOperationException("always"),
            StringValue { Value: "flaky" } when handled.Attempt == 1 => throw new InvalidOperationException("once"),
            _ => default,
        };
        using var host = await TestHosts.StartAsync(fixture, scenario, o => o.Retry.MaxAttempts = 2);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        await producer.ProduceAsync(new StringValue { Value = "flaky" }, "a");
        await producer.ProduceAsync(new StringValue { Value = "poison-pill" }, "b");
        await producer.ProduceAsync(new StringValue { Value = "fine" }, "c");
        await scenario.WaitForCountAsync(2, TimeSpan.FromSeconds(30));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (totals.GetValueOrDefault("kafkatyped.consumer.lag") == 0 && DateTime.UtcNow < deadline)
        {
            listener.RecordObservableInstruments();
            await Task.Delay(100);
            if (totals.ContainsKey("kafkatyped.consumer.lag"))
            {
                break;
            }
        }

        await host.StopAsync();

        Assert.Equal(3, totals.GetValueOrDefault("messaging.client.sent.messages") - totals.GetValueOrDefault("kafkatyped.producer.failed"));
        Assert.Equal(3, totals.GetValueOrDefault("messaging.client.consumed.messages"));
        Assert.Equal(3, totals.GetValueOrDefault("messaging.process.duration"));
        Assert.Equal(3, totals.GetValueOrDefault("kafkatyped.consumer.failed")); // flaky once, poison twice
        Assert.Equal(2, totals.GetValueOrDefault("kafkatyped.consumer.retried")); // flaky once, poison once
        Assert.Equal(1, totals.GetValueOrDefault("kafkatyped.consumer.dead_lettered"));
        Assert.True(totals.ContainsKey("kafkatyped.consumer.lag"), "the lag gauge reported no partition of the topic");
    }
}
