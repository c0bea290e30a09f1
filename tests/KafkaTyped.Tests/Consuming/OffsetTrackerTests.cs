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
}
