using System.Text;
using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ProtoTimestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace KafkaTyped.IntegrationTests.Consuming;

[Collection(EmbeddedClusterCollection.Name)]
public sealed class DispatchTests(EmbeddedClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Three_message_types_on_one_topic_reach_their_handlers_with_their_context()
    {
        var scenario = TestHosts.NewScenario(fixture, "three-types");
        using var host = await TestHosts.StartAsync(fixture, scenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        var sent = await producer.ProduceAsync(new StringValue { Value = "hello" }, "k-string");
        await producer.ProduceAsync(new Int64Value { Value = 42 }, "k-int");
        await producer.ProduceAsync(ProtoTimestamp.FromDateTime(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc)), "k-time");

        await scenario.WaitForCountAsync(3, Timeout);
        var byKind = scenario.Log.ToDictionary(h => h.Kind);
        Assert.Equal("hello", ((StringValue)byKind["string"].Message).Value);
        Assert.Equal(42, ((Int64Value)byKind["int64"].Message).Value);
        Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc), ((ProtoTimestamp)byKind["timestamp"].Message).ToDateTime());
        Assert.Equal("k-string", byKind["string"].Key);
        Assert.Equal("k-int", byKind["int64"].Key);

        var context = byKind["string"].Context;
        Assert.Equal(scenario.Set.Topic, context.Topic);
        Assert.Equal(sent.Partition.Value, context.Partition);
        Assert.Equal(sent.Offset.Value, context.Offset);
        Assert.Equal(1, context.Attempt);
        Assert.Equal(scenario.GroupId, context.GroupId);
        Assert.True(Math.Abs((context.Timestamp - DateTimeOffset.UtcNow).TotalMinutes) < 5);
        await host.StopAsync();
    }

    /// <summary>
    /// A handler that fails before awaiting returns an already faulted task; one that fails after awaiting is still running
    /// when the engine looks, and is awaited outside the retry pipeline, which it enters only once it failed. Both are
    /// retried (and dead-lettered) alike.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_fails_twice_then_succeeds_is_retried_in_place(bool failAfterAwaiting)
    {
        var scenario = TestHosts.NewScenario(fixture, failAfterAwaiting ? "fail-twice-async" : "fail-twice");
        scenario.Behavior = Failing(failAfterAwaiting, static handled => handled.Attempt <= 2 ? new InvalidOperationException($"transient failure {handled.Attempt}") : null);
        using var host = await TestHosts.StartAsync(fixture, scenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        await producer.ProduceAsync(new StringValue { Value = "flaky" }, "k1");

        await scenario.WaitForCountAsync(1, Timeout);
        var handled = Assert.Single(scenario.Log);
        Assert.Equal(3, handled.Attempt);
        await host.StopAsync();
        Assert.Empty(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 6, 1, TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_handler_that_always_fails_sends_the_message_to_the_dead_letter_topic_and_the_loop_goes_on(bool failAfterAwaiting)
    {
        var scenario = TestHosts.NewScenario(fixture, failAfterAwaiting ? "always-fails-async" : "always-fails");
        scenario.Behavior = Failing(failAfterAwaiting, static handled => handled.Message is StringValue { Value: "bad" } ? new InvalidOperationException("the ledger refused it") : null);
        using var host = await TestHosts.StartAsync(fixture, scenario, o => o.Retry.MaxAttempts = 3);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        var headers = new Headers { { "app-header", Encoding.UTF8.GetBytes("kept") } };
        var bad = await producer.ProduceAsync(new StringValue { Value = "bad" }, "same-key", headers);
        await producer.ProduceAsync(new StringValue { Value = "good" }, "same-key");

        await scenario.WaitForCountAsync(1, Timeout);
        Assert.Equal("good", ((StringValue)Assert.Single(scenario.Log).Message).Value);

        var dead = Assert.Single(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 6, 1, Timeout));
        var original = RawKafka.ReadAll(fixture, scenario.Set.Topic, 6, 2, Timeout).Single(r => r.TopicPartitionOffset == bad.TopicPartitionOffset);
        Assert.Equal(original.Message.Value, dead.Message.Value);
        Assert.Equal("same-key", Encoding.UTF8.GetString(dead.Message.Key));
        Assert.Equal("kept", RawKafka.Header(dead, "app-header"));
        Assert.Equal(typeof(InvalidOperationException).FullName, RawKafka.Header(dead, DeadLetterHeaders.ExceptionType));
        Assert.Equal("the ledger refused it", RawKafka.Header(dead, DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(scenario.Set.Topic, RawKafka.Header(dead, DeadLetterHeaders.OriginalTopic));
        Assert.Equal(bad.Partition.Value.ToString(), RawKafka.Header(dead, DeadLetterHeaders.OriginalPartition));
        Assert.Equal(bad.Offset.Value.ToString(), RawKafka.Header(dead, DeadLetterHeaders.OriginalOffset));
        Assert.Equal("3", RawKafka.Header(dead, DeadLetterHeaders.Attempts));
        Assert.Equal(scenario.GroupId, RawKafka.Header(dead, DeadLetterHeaders.ConsumerGroup));
        Assert.True(DateTimeOffset.TryParse(RawKafka.Header(dead, DeadLetterHeaders.FailedAt), out var failedAt) && (DateTimeOffset.UtcNow - failedAt).TotalMinutes < 5);

        await host.StopAsync();
        var committed = RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 6);
        Assert.Equal(bad.Offset.Value + 2, committed[bad.Partition.Value]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_non_retryable_exception_goes_to_the_dead_letter_topic_after_one_attempt(bool failAfterAwaiting)
    {
        var scenario = TestHosts.NewScenario(fixture, failAfterAwaiting ? "non-retryable-async" : "non-retryable");
        var attempts = 0;
        scenario.Behavior = Failing(failAfterAwaiting, _ =>
        {
            Interlocked.Increment(ref attempts);
            return new NonRetryableException("order total is negative");
        });
        using var host = await TestHosts.StartAsync(fixture, scenario, o => o.Retry.MaxAttempts = 5);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        await producer.ProduceAsync(new Int64Value { Value = -1 }, "k");

        var dead = Assert.Single(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 6, 1, Timeout));
        Assert.Equal("1", RawKafka.Header(dead, DeadLetterHeaders.Attempts));
        Assert.Equal(typeof(NonRetryableException).FullName, RawKafka.Header(dead, DeadLetterHeaders.ExceptionType));
        Assert.Equal(1, Volatile.Read(ref attempts));
        await host.StopAsync();
    }

    [Fact]
    public async Task Poison_bytes_from_a_raw_client_go_to_the_dead_letter_topic_and_the_loop_goes_on()
    {
        var scenario = TestHosts.NewScenario(fixture, "poison");
        using var host = await TestHosts.StartAsync(fixture, scenario);
        var producer = host.Services.GetRequiredService<TestEventsProducer>();

        using (var raw = new ProducerBuilder<byte[], byte[]>(fixture.ProducerConfig()).Build())
        {
            await raw.ProduceAsync(scenario.Set.Topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("p"), Value = Encoding.UTF8.GetBytes("{\"not\":\"protobuf\"}") });
            // Valid framing, invalid payload: field 1 as a length-delimited string that runs past the end.
            await raw.ProduceAsync(scenario.Set.Topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("p"), Value = [0, 0, 0, 0, 0, 0, 0x0A, 0x7F, 0x01] });
        }

        await producer.ProduceAsync(new StringValue { Value = "after poison" }, "p");
        await scenario.WaitForCountAsync(1, Timeout);
        Assert.Equal("after poison", ((StringValue)Assert.Single(scenario.Log).Message).Value);

        var dead = RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 6, 2, Timeout).OrderBy(r => r.Offset.Value).ToList();
        Assert.Equal(2, dead.Count);
        Assert.All(dead, d => Assert.Equal(typeof(MessageDeserializationException).FullName, RawKafka.Header(d, DeadLetterHeaders.ExceptionType)));
        Assert.Contains("magic byte", RawKafka.Header(dead[0], DeadLetterHeaders.ExceptionMessage));
        Assert.Contains("StringValue", RawKafka.Header(dead[1], DeadLetterHeaders.ExceptionMessage));
        Assert.Equal("{\"not\":\"protobuf\"}", Encoding.UTF8.GetString(dead[0].Message.Value));
        await host.StopAsync();
    }

    [Fact]
    public async Task Graceful_shutdown_commits_everything_handled()
    {
        var scenario = TestHosts.NewScenario(fixture, "shutdown");
        using var host = await TestHosts.StartAsync(fixture, scenario, o =>
        {
            // Only the shutdown commit may write these offsets.
            o.CommitInterval = TimeSpan.FromHours(1);
            o.CommitBatchSize = int.MaxValue;
        });
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = 0; i < 600; i++)
        {
            producer.Produce(new Int64Value { Value = i }, $"key-{i % 37}");
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        await scenario.WaitForCountAsync(600, Timeout);
        await host.StopAsync();

        var committed = RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 6);
        var high = RawKafka.HighWatermarks(fixture, scenario.Set.Topic, 6);
        Assert.Equal(high, committed);
    }

    [Fact]
    public async Task Shutdown_lets_a_running_handler_finish_and_commits_its_offset()
    {
        var scenario = TestHosts.NewScenario(fixture, "drain");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scenario.Behavior = async (_, cancellationToken) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken); // cancellation would fail the test: nothing recorded
        };
        using var host = await TestHosts.StartAsync(fixture, scenario);
        var sent = await host.Services.GetRequiredService<TestEventsProducer>().ProduceAsync(new StringValue { Value = "slow" }, "k");

        await started.Task.WaitAsync(Timeout);
        await host.StopAsync();

        Assert.Single(scenario.Log);
        Assert.Equal(sent.Offset.Value + 1, RawKafka.Committed(fixture, scenario.GroupId, scenario.Set.Topic, 6)[sent.Partition.Value]);
    }

    /// <summary>A behaviour that throws what <paramref name="failure"/> returns (if anything), at once or after awaiting.</summary>
    private static Func<Handled, CancellationToken, ValueTask> Failing(bool afterAwaiting, Func<Handled, Exception?> failure) =>
        afterAwaiting
            ? async (handled, _) =>
            {
                await Task.Yield();
                if (failure(handled) is { } exception)
                {
                    throw exception;
                }
            }
            : (handled, _) => failure(handled) is { } exception ? throw exception : default;
}
