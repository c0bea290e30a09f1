using System.Collections.Concurrent;
using KafkaTyped.Consuming;

namespace KafkaTyped.Tests.Consuming;

public sealed class OffsetTrackerTests
{
    [Fact]
    public void Only_the_contiguous_completed_prefix_is_committable()
    {
        var tracker = new OffsetTracker();
        foreach (var offset in new long[] { 10, 11, 12, 13 })
        {
            tracker.Add(offset);
        }

        tracker.Complete(11);
        tracker.Complete(13);
        Assert.False(tracker.TryGetCommit(out _));

        tracker.Complete(10);
        Assert.True(tracker.TryGetCommit(out var position));
        Assert.Equal(12, position); // 12 still runs: nothing past it

        tracker.Complete(12);
        Assert.True(tracker.TryGetCommit(out position));
        Assert.Equal(14, position);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void A_committed_position_is_not_offered_again_until_it_moves()
    {
        var tracker = new OffsetTracker();
        tracker.Add(0);
        tracker.Complete(0);
        Assert.True(tracker.TryGetCommit(out var position));
        tracker.MarkCommitted(position);
        Assert.False(tracker.TryGetCommit(out _));
    }

    [Fact]
    public void Gaps_between_offsets_and_growth_past_the_initial_ring_are_handled()
    {
        var tracker = new OffsetTracker();
        var offsets = Enumerable.Range(0, 1000).Select(i => (long)i * 3).ToArray(); // gaps, as after compaction
        foreach (var offset in offsets)
        {
            tracker.Add(offset);
        }

        var random = new Random(42);
        foreach (var offset in offsets.OrderBy(_ => random.Next()))
        {
            tracker.Complete(offset);
        }

        Assert.True(tracker.TryGetCommit(out var position));
        Assert.Equal(offsets[^1] + 1, position);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void Completing_an_unknown_offset_changes_nothing()
    {
        var tracker = new OffsetTracker();
        tracker.Add(5);
        tracker.Complete(6);
        Assert.False(tracker.TryGetCommit(out _));
        Assert.Equal(1, tracker.Pending);
    }

    [Fact]
    public void A_record_run_alone_moves_the_position_right_past_it()
    {
        var tracker = new OffsetTracker();
        tracker.CompleteAlone(7);
        Assert.True(tracker.TryGetCommit(out var position));
        Assert.Equal(8, position);

        tracker.Add(8);
        tracker.Complete(8);
        tracker.CompleteAlone(9);
        Assert.True(tracker.TryGetCommit(out position));
        Assert.Equal(10, position);
        Assert.Equal(0, tracker.Pending);
    }

    [Fact]
    public void A_record_run_alone_after_one_left_pending_is_not_committed_past_it()
    {
        var tracker = new OffsetTracker();
        tracker.CompleteAlone(4);
        tracker.Add(5); // cancelled at shutdown before it was handled
        tracker.CompleteAlone(6);

        Assert.True(tracker.TryGetCommit(out var position));
        Assert.Equal(5, position);
        Assert.Equal(2, tracker.Pending);
    }

    [Fact]
    public async Task Lanes_and_the_poll_thread_taking_turns_never_move_the_position_back()
    {
        // The protocol of PartitionWorker: the poll thread hands chunks to a lane, and runs records alone (CompleteAlone,
        // without the lock) only once the lane completed everything it held; the commit thread reads meanwhile.
        const int Rounds = 5_000;
        var tracker = new OffsetTracker();
        using var handedOver = new BlockingCollection<long[]>();
        var buffered = 0;
        var finished = false;

        var lane = Task.Run(() =>
        {
            foreach (var chunk in handedOver.GetConsumingEnumerable())
            {
                foreach (var offset in chunk)
                {
                    tracker.Complete(offset);
                }

                Interlocked.Add(ref buffered, -chunk.Length);
            }
        });

        var backwards = new List<(long From, long To)>();
        var commits = Task.Run(() =>
        {
            var last = -1L;
            while (!Volatile.Read(ref finished))
            {
                var movedOn = tracker.TryGetCommit(out var position);
                if (position < last)
                {
                    backwards.Add((last, position));
                }

                last = position;
                if (movedOn)
                {
                    tracker.MarkCommitted(position);
                }

                Thread.Yield();
            }
        });

        var next = 0L;
        for (var round = 0; round < Rounds; round++)
        {
            var chunk = new[] { next, next + 1, next + 2 };
            next += 3;
            tracker.Add(chunk);
            Interlocked.Add(ref buffered, chunk.Length);
            handedOver.Add(chunk);

            SpinWait.SpinUntil(() => Volatile.Read(ref buffered) == 0);
            tracker.CompleteAlone(next);
            next++;
        }

        handedOver.CompleteAdding();
        await lane;
        Volatile.Write(ref finished, true);
        await commits;

        Assert.Empty(backwards); // every read, committed or not
        tracker.TryGetCommit(out var final);
        Assert.Equal(next, final);
        Assert.Equal(0, tracker.Pending);
    }
}
