namespace KafkaTyped.Consuming;

/// <summary>
/// Runs one commit at a time on a thread of its own, so that the poll thread goes on taking and handling records while
/// the group coordinator answers.
/// </summary>
/// <remarks>
/// <para>Confluent.Kafka's <c>Commit</c> is synchronous: a round trip to the coordinator, 0.7–2.3 ms each on the embedded
/// cluster under load (measured), a network round trip on a real one. Periodic commits come every
/// <see cref="ConsumerGroupOptions.CommitBatchSize"/> records, so at several hundred thousand records a second a poll
/// thread that waited for them stood still for a tenth of the time and more, with nothing handled meanwhile. librdkafka
/// is thread-safe, and its commits leave in the order they were issued.</para>
/// <para>Ordering is the caller's rule: at most one commit runs, <see cref="TryStart"/> refuses another meanwhile, and a
/// commit made elsewhere (revoke, lost partitions, shutdown) first calls <see cref="WaitIdle"/>, so a later, higher
/// watermark can never be overtaken by an earlier one.</para>
/// <para>A dedicated thread rather than the thread pool: the commit blocks in native code for the round trip, and the
/// thread sleeps between commits.</para>
/// </remarks>
/// <param name="threadName">The thread's name (seen in debuggers, dumps and <c>top -H</c>).</param>
/// <param name="onFailure">Called on the commit thread when a commit threw; the thread goes on.</param>
internal sealed class BackgroundCommit(string threadName, Action<Exception> onFailure) : IDisposable
{
    private readonly object gate = new();
    private Action? pending;
    private bool running;
    private bool disposed;
    private Thread? thread;

    /// <summary>True while a commit is queued or running.</summary>
    public bool Busy
    {
        get
        {
            lock (gate)
            {
                return running;
            }
        }
    }

    /// <summary>Starts <paramref name="commit"/> on the commit thread; false (and nothing started) while another runs or after disposal.</summary>
    public bool TryStart(Action commit)
    {
        lock (gate)
        {
            if (running || disposed)
            {
                return false;
            }

            pending = commit;
            running = true;
            if (thread is null)
            {
                thread = new Thread(Run) { IsBackground = true, Name = threadName };
                thread.Start();
            }

            Monitor.PulseAll(gate);
            return true;
        }
    }

    /// <summary>Returns once no commit is queued or running.</summary>
    public void WaitIdle()
    {
        lock (gate)
        {
            while (running)
            {
                Monitor.Wait(gate);
            }
        }
    }

    /// <summary>Lets a started commit finish, then ends the thread.</summary>
    public void Dispose()
    {
        Thread? started;
        lock (gate)
        {
            disposed = true;
            started = thread;
            Monitor.PulseAll(gate);
        }

        if (started is not null && started != Thread.CurrentThread)
        {
            started.Join();
        }
    }

    private void Run()
    {
        while (true)
        {
            Action commit;
            lock (gate)
            {
                while (pending is null && !disposed)
                {
                    Monitor.Wait(gate);
                }

                if (pending is null)
                {
                    return;
                }

                commit = pending;
                pending = null;
            }

            try
            {
                commit();
            }
            catch (Exception exception)
            {
                // An exception escaping a thread ends the process: a failed commit is logged and retried at the next one.
                onFailure(exception);
            }
            finally
            {
                lock (gate)
                {
                    running = false;
                    Monitor.PulseAll(gate);
                }
            }
        }
    }
}
