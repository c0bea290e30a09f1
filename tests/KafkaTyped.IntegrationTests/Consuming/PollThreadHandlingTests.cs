using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.IntegrationTests.Consuming;

/// <summary>
/// <c>HandleOnPollThread</c> end to end: a group whose handlers complete synchronously has the poll thread handle its
/// records once the lanes timed them, unless the option is off; either way every record is handled once, in order.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class PollThreadHandlingTests(EmbeddedClusterFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HandleOnPollThread_decides_whether_the_poll_thread_handles_records_of_an_idle_partition(bool onPollThread)
    {
        const int perRound = 100;
        const int maxRounds = 40;
        var scenario = TestHosts.NewScenario(fixture, onPollThread ? "poll-thread-on" : "poll-thread-off", partitions: 1);
        var threads = new ConcurrentQueue<(long Offset, string? Thread)>();
        scenario.Behavior = (handled, _) =>
        {
            threads.Enqueue((handled.Offset, Thread.CurrentThread.Name));
            return default;
        };

        // Every sample counts as fast, so that the machine's load cannot decide the outcome; the rest is the engine's.
        using var host = TestHosts.Build(fixture, scenario, o =>
        {
            o.HandleOnPollThread = onPollThread;
            o.PollThreadFastEnough = long.MaxValue;
        });
        await host.StartAsync();
        var pollThread = "kafkatyped-" + scenario.GroupId;

        // Rounds of records, each produced once the previous one was handled, so each round finds the partition idle. The
        // first round is handled on the lane, which times it; a later one starts on the poll thread. A run that a loaded
        // machine stalls past the engine's 10 ms sends the records back to the lane for a while, hence several rounds.
        var rounds = 0;
        while (rounds < (onPollThread ? maxRounds : 3) && !(onPollThread && threads.Any(t => t.Thread == pollThread)))
        {
            Produce(host, rounds * perRound, perRound);
            rounds++;
            await scenario.WaitForCountAsync(rounds * perRound, Timeout);
        }

        await host.StopAsync();

        var handledOnPollThread = threads.Count(t => t.Thread == pollThread);
        if (onPollThread)
        {
            Assert.True(handledOnPollThread > 0, $"no record of {rounds * perRound} was handled on the poll thread");
        }
        else
        {
            Assert.Equal(0, handledOnPollThread);
        }

        // Once each, in offset order, whichever thread handled them.
        Assert.Equal(Enumerable.Range(0, rounds * perRound).Select(static i => (long)i), scenario.Log.Select(static h => ((Int64Value)h.Message).Value));
        Assert.Equal(scenario.Log.Select(static h => h.Offset).Order(), scenario.Log.Select(static h => h.Offset));
    }

    private static void Produce(IHost host, int from, int count)
    {
        var producer = host.Services.GetRequiredService<TestEventsProducer>();
        for (var i = from; i < from + count; i++)
        {
            producer.Produce(new Int64Value { Value = i }, "one-key");
        }

        producer.Flush(Timeout);
    }
}
