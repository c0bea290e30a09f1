using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Diagnostics;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class TracingTests(EmbeddedClusterFixture fixture)
{
    [Fact]
    public async Task The_trace_id_of_the_producer_span_reaches_the_handler_span_through_the_traceparent_header()
    {
        var scenario = TestHosts.NewScenario(fixture, "trace");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KafkaTypedDiagnostics.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var host = await TestHosts.StartAsync(fixture, scenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        using (var parent = new Activity("checkout").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            await producer.ProduceAsync(new StringValue { Value = "traced" }, "trace-key");
        }

        await scenario.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        await host.StopAsync();

        var send = Assert.Single(stopped, a => a.OperationName == "send " + scenario.Set.Topic);
        var process = Assert.Single(stopped, a => a.OperationName == "process " + scenario.Set.Topic);
        var handled = Assert.Single(scenario.Log);
        Assert.Equal(send.TraceId.ToHexString(), handled.TraceId);
        Assert.Equal(send.TraceId, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal("kafka", process.GetTagItem(SemanticConventions.MessagingSystem));
        Assert.Equal(scenario.Set.Topic, process.GetTagItem(SemanticConventions.DestinationName));
        Assert.Equal(scenario.GroupId, process.GetTagItem(SemanticConventions.ConsumerGroup));
        Assert.Equal(handled.Partition.ToString(), process.GetTagItem(SemanticConventions.PartitionId));
        Assert.Equal(handled.Offset, process.GetTagItem(SemanticConventions.KafkaOffset));
        Assert.Equal("trace-key", process.GetTagItem(SemanticConventions.KafkaMessageKey));
        Assert.Equal(handled.Offset, send.GetTagItem(SemanticConventions.KafkaOffset));
    }
}
