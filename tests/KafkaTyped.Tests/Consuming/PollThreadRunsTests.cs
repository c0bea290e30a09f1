using System.Diagnostics;
using KafkaTyped.Consuming;

namespace KafkaTyped.Tests.Consuming;

/// <summary>
/// The learning that decides whether the poll thread runs a partition's records. "Fast" and "slow" samples are made
/// from timestamps a minute apart against a limit of a second, so no test depends on how fast this machine is.
/// </summary>
public sealed class PollThreadRunsTests
{
    private const int Capacity = 16;
    private static readonly long OneSecond = Stopwatch.Frequency;

    [Fact]
    public void Four_fast_samples_in_a_row_let_the_poll_thread_run_records()
    {
        var runs = new PollThreadRuns(Capacity, OneSecond);
        for (var i = 0; i < 3; i++)
        {
            ObserveFast(runs);
            Assert.False(runs.Allowed());
        }

        ObserveFast(runs);
        Assert.True(runs.Allowed());
    }

    [Fact]
    public void A_record_a_lane_awaited_makes_the_partition_learn_again()
    {
        var runs = Learnt();

        runs.SawAwait();

        Assert.False(runs.Allowed());
        for (var i = 0; i < 4; i++)
        {
            ObserveFast(runs);
        }

        Assert.True(runs.Allowed());
    }

    [Fact]
    public void Two_slow_samples_in_a_row_send_a_buffer_of_records_back_to_the_lanes()
    {
        var runs = Learnt();

        ObserveSlow(runs);
        Assert.True(runs.Allowed()); // one slow sample alone may be a preemption or a GC pause
        ObserveSlow(runs);

        for (var i = 0; i < Capacity; i++)
        {
            Assert.False(runs.Allowed());
        }

        // After the send-back the partition learns again before the poll thread takes it back.
        Assert.False(runs.Allowed());
        for (var i = 0; i < 4; i++)
        {
            ObserveFast(runs);
        }

        Assert.True(runs.Allowed());
    }

    private static PollThreadRuns Learnt()
    {
        var runs = new PollThreadRuns(Capacity, OneSecond);
        for (var i = 0; i < 4; i++)
        {
            ObserveFast(runs);
        }

        Assert.True(runs.Allowed());
        return runs;
    }

    private static void ObserveFast(PollThreadRuns runs) => runs.Observe(Stopwatch.GetTimestamp());

    private static void ObserveSlow(PollThreadRuns runs) => runs.Observe(Stopwatch.GetTimestamp() - (60 * OneSecond));
}
