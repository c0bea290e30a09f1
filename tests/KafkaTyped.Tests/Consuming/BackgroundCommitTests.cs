using System.Collections.Concurrent;
using KafkaTyped.Consuming;

namespace KafkaTyped.Tests.Consuming;

/// <summary>
/// The commit thread's rules: a commit runs on its own thread while the caller goes on, one at a time, and whoever
/// commits otherwise waits for it first. Every commit here blocks on a gate the test opens only after the step it checks,
/// so no assertion depends on how fast anything runs.
/// </summary>
public sealed class BackgroundCommitTests
{
    // Only reached when a rule is broken (a commit run in the caller's thread would wait here for the test, which waits for it).
    private static readonly TimeSpan Stuck = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_commit_runs_on_the_commit_thread_while_the_caller_goes_on()
    {
        using var commits = new BackgroundCommit("kafkatyped-test-commits", exception => throw exception);
        using var gate = new ManualResetEventSlim();
        string? ranOn = null;
        var released = false;

        Assert.True(commits.TryStart(() =>
        {
            ranOn = Thread.CurrentThread.Name;
            released = gate.Wait(Stuck);
        }));

        // Still running: it waits for the gate this thread opens only now.
        Assert.True(commits.Busy);
        gate.Set();
        commits.WaitIdle();

        Assert.True(released);
        Assert.Equal("kafkatyped-test-commits", ranOn);
        Assert.False(commits.Busy);
    }

    [Fact]
    public void Only_one_commit_is_out_at_a_time()
    {
        using var commits = new BackgroundCommit("kafkatyped-test-commits", exception => throw exception);
        using var gate = new ManualResetEventSlim();
        var ran = new ConcurrentQueue<string>();

        Assert.True(commits.TryStart(() =>
        {
            gate.Wait(Stuck);
            ran.Enqueue("first");
        }));
        Assert.False(commits.TryStart(() => ran.Enqueue("refused")));

        gate.Set();
        commits.WaitIdle();
        Assert.True(commits.TryStart(() => ran.Enqueue("second")));
        commits.WaitIdle();

        Assert.Equal(["first", "second"], ran);
    }

    [Fact]
    public async Task Waiting_for_the_commit_returns_only_once_it_finished()
    {
        // The order a revoke or shutdown relies on: its own commit is made after the periodic one came back.
        using var commits = new BackgroundCommit("kafkatyped-test-commits", exception => throw exception);
        using var commit = GatedCommit.StartOn(commits);

        var waiter = Task.Factory.StartNew(() =>
        {
            commits.WaitIdle();
            return commit.Finished;
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.False(waiter.IsCompleted); // the commit cannot have finished: the gate is still closed
        commit.Release();

        Assert.True(await waiter.WaitAsync(Stuck));
    }

    [Fact]
    public void A_failed_commit_is_reported_and_the_next_one_still_runs()
    {
        var failures = new ConcurrentQueue<Exception>();
        using var commits = new BackgroundCommit("kafkatyped-test-commits", failures.Enqueue);
        var ran = false;

        Assert.True(commits.TryStart(() => throw new InvalidOperationException("coordinator gone")));
        commits.WaitIdle();
        Assert.True(commits.TryStart(() => ran = true));
        commits.WaitIdle();

        Assert.Equal("coordinator gone", Assert.Single(failures).Message);
        Assert.True(ran);
    }

    [Fact]
    public async Task Disposing_lets_a_started_commit_finish_and_refuses_new_ones()
    {
        var commits = new BackgroundCommit("kafkatyped-test-commits", exception => throw exception);
        using var commit = GatedCommit.StartOn(commits);

        var disposing = Task.Factory.StartNew(commits.Dispose, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.False(disposing.IsCompleted); // the commit cannot have finished: the gate is still closed
        commit.Release();
        await disposing.WaitAsync(Stuck);

        Assert.True(commit.Finished);
        Assert.False(commits.TryStart(() => { }));
    }

    [Fact]
    public void Nothing_started_means_no_thread_and_nothing_to_wait_for()
    {
        using var commits = new BackgroundCommit("kafkatyped-test-commits", exception => throw exception);
        commits.WaitIdle();
        Assert.False(commits.Busy);
    }

    /// <summary>A commit that has started on the commit thread and finishes only once the test releases it.</summary>
    private sealed class GatedCommit : IDisposable
    {
        private readonly ManualResetEventSlim started = new();
        private readonly ManualResetEventSlim gate = new();
        private bool finished;

        public bool Finished => Volatile.Read(ref finished);

        public static GatedCommit StartOn(BackgroundCommit commits)
        {
            var commit = new GatedCommit();
            Assert.True(commits.TryStart(commit.Run));
            Assert.True(commit.started.Wait(Stuck));
            return commit;
        }

        public void Release() => gate.Set();

        public void Dispose()
        {
            started.Dispose();
            gate.Dispose();
        }

        private void Run()
        {
            started.Set();
            _ = gate.Wait(Stuck);
            Volatile.Write(ref finished, true);
        }
    }
}
