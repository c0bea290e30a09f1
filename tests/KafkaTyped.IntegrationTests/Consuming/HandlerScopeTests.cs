using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>
/// Which DI scope handlers come from: the handler is registered scoped, so handler instance numbers tell which messages
/// shared a scope.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class HandlerScopeTests(EmbeddedClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task By_default_messages_handled_back_to_back_share_a_scope_of_at_most_MaxMessagesPerScope()
    {
        const int count = 300;
        var scenario = TestHosts.NewScenario(fixture, "scope-batch", partitions: 1);

        // The first message waits a little so that the rest are queued in the lane behind it: then batches are full.
        scenario.Behavior = static async (handled, ct) =>
        {
            if (handled.Message is Int64Value { Value: 0 })
            {
                await Task.Delay(200, ct);
            }
        };
        using var host = TestHosts.Build(fixture, scenario, o => o.MaxMessagesPerScope = 50);
        Produce(host, count);

        await host.StartAsync();
        await scenario.WaitForCountAsync(count, Timeout);
        await host.StopAsync();

        var perScope = scenario.Log.GroupBy(h => h.HandlerInstance).Select(g => g.Count()).ToArray();
        Assert.All(perScope, n => Assert.InRange(n, 1, 50));
        Assert.True(perScope.Length <= count / 10, $"{perScope.Length} scopes for {count} queued messages: batches did not share scopes");
    }

    [Fact]
    public async Task A_failed_attempt_ends_its_scope_so_the_retry_and_later_messages_get_fresh_scoped_services()
    {
        var scenario = TestHosts.NewScenario(fixture, "scope-fail", partitions: 1);
        var failedInstance = 0;
        scenario.Behavior = (handled, _) =>
        {
            if (handled.Message is Int64Value { Value: 5 } && handled.Attempt == 1)
            {
                Volatile.Write(ref failedInstance, handled.HandlerInstance);
                throw new InvalidOperationException("first attempt fails");
            }

            return default;
        };
        using var host = TestHosts.Build(fixture, scenario);
        Produce(host, 10);

        await host.StartAsync();
        await scenario.WaitForCountAsync(10, Timeout);
        await host.StopAsync();

        var failed = Volatile.Read(ref failedInstance);
        Assert.NotEqual(0, failed);
        var log = scenario.Log.OrderBy(h => h.Offset).ToArray();
        Assert.Equal(2, log[5].Attempt);
        Assert.All(log[5..], h => Assert.NotEqual(failed, h.HandlerInstance));
    }

    [Fact]
    public async Task A_scope_that_fails_to_dispose_is_logged_and_the_lane_goes_on()
    {
        const int count = 200;
        var scenario = TestHosts.NewScenario(fixture, "scope-dispose", partitions: 1);
        var disposals = 0;
        scenario.OnHandlerDisposed = () =>
        {
            Interlocked.Increment(ref disposals);
            throw new InvalidOperationException("a scoped service failed to dispose");
        };
        using var host = TestHosts.Build(fixture, scenario, o => o.MaxMessagesPerScope = 10);
        Produce(host, count);

        await host.StartAsync();
        await scenario.WaitForCountAsync(count, Timeout);
        await host.StopAsync();

        Assert.Equal(count, scenario.Log.Select(h => h.Offset).Distinct().Count());
        Assert.All(scenario.Log, h => Assert.Equal(1, h.Attempt)); // a disposal failure is not the record's failure
        Assert.True(Volatile.Read(ref disposals) >= count / 10);
        Assert.Empty(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 1, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task PerMessage_gives_every_message_its_own_scope()
    {
        var scenario = TestHosts.NewScenario(fixture, "scope-message", partitions: 1);
        using var host = TestHosts.Build(fixture, scenario, o => o.HandlerScope = HandlerScope.PerMessage);
        Produce(host, 50);

        await host.StartAsync();
        await scenario.WaitForCountAsync(50, Timeout);
        await host.StopAsync();

        Assert.Equal(50, scenario.Log.Select(h => h.HandlerInstance).Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PerMessage_ends_a_failed_attempts_scope_before_the_retry_runs_in_a_fresh_one(bool failAfterAwaiting)
    {
        var scenario = TestHosts.NewScenario(fixture, failAfterAwaiting ? "scope-message-fail-async" : "scope-message-fail", partitions: 1);
        var failedInstance = 0;
        var disposedBeforeRetry = -1;
        var disposals = 0;
        scenario.OnHandlerDisposed = () => Interlocked.Increment(ref disposals);
        scenario.Behavior = async (handled, ct) =>
        {
            if (handled.Message is not Int64Value { Value: 5 })
            {
                return;
            }

            if (handled.Attempt == 1)
            {
                Volatile.Write(ref failedInstance, handled.HandlerInstance);
                if (failAfterAwaiting)
                {
                    await Task.Yield();
                }

                throw new InvalidOperationException("first attempt fails");
            }

            // The retry: the failed attempt's scope (and its handler) must already be disposed.
            Volatile.Write(ref disposedBeforeRetry, Volatile.Read(ref disposals));
        };
        using var host = TestHosts.Build(fixture, scenario, o => o.HandlerScope = HandlerScope.PerMessage);
        Produce(host, 10);

        await host.StartAsync();
        await scenario.WaitForCountAsync(10, Timeout);
        await host.StopAsync();

        var log = scenario.Log.OrderBy(h => h.Offset).ToArray();
        Assert.Equal(10, log.Length);
        Assert.Equal(2, log[5].Attempt);
        Assert.NotEqual(Volatile.Read(ref failedInstance), log[5].HandlerInstance);
        Assert.Equal(11, log.Select(h => h.HandlerInstance).Append(Volatile.Read(ref failedInstance)).Distinct().Count());
        Assert.True(Volatile.Read(ref disposedBeforeRetry) >= 6, $"only {Volatile.Read(ref disposedBeforeRetry)} scopes were disposed when the retry of offset 5 ran (offsets 0-4 and the failed attempt: 6)");
        Assert.Empty(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 1, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task PerMessage_logs_a_scope_that_fails_to_dispose_and_does_not_retry_the_handled_message()
    {
        const int count = 50;
        var scenario = TestHosts.NewScenario(fixture, "scope-message-dispose", partitions: 1);
        var disposals = 0;
        scenario.OnHandlerDisposed = () =>
        {
            Interlocked.Increment(ref disposals);
            throw new InvalidOperationException("a scoped service failed to dispose");
        };
        using var host = TestHosts.Build(fixture, scenario, o => o.HandlerScope = HandlerScope.PerMessage);
        Produce(host, count);

        await host.StartAsync();
        await scenario.WaitForCountAsync(count, Timeout);
        await host.StopAsync();

        Assert.Equal(count, scenario.Log.Count);
        Assert.All(scenario.Log, h => Assert.Equal(1, h.Attempt));
        Assert.Equal(count, Volatile.Read(ref disposals));
        Assert.Empty(RawKafka.ReadAll(fixture, scenario.Set.Topic + ".dlq", 1, 1, TimeSpan.FromSeconds(1)));
    }

    private static void Produce(IHost host, int count)
    {
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(new Int64Value { Value = i }, "one-key");
        }

        producer.Flush(Timeout);
    }
}
