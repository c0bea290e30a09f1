namespace KafkaTyped.Cache;

/// <summary>
/// Lets a writer wait until the replica's reader applied a given offset of a partition. The reader calls
/// <see cref="Applied"/> after each record; it takes the lock only while someone waits.
/// </summary>
internal sealed class ReadYourWritesWaiters
{
    private readonly object gate = new();
    private readonly List<(int Partition, long Offset, TaskCompletionSource Done)> pending = [];
    private long[] applied = [];
    private int waiting;

    public void Initialize(int partitions)
    {
        var offsets = new long[partitions];
        Array.Fill(offsets, -1L);
        applied = offsets;
    }

    public void Applied(int partition, long offset)
    {
        Volatile.Write(ref applied[partition], offset);
        if (Volatile.Read(ref waiting) == 0)
        {
            return;
        }

        lock (gate)
        {
            for (var i = pending.Count - 1; i >= 0; i--)
            {
                var (p, o, done) = pending[i];
                if (p == partition && o <= offset)
                {
                    pending.RemoveAt(i);
                    done.TrySetResult();
                }
            }

            waiting = pending.Count;
        }
    }

    public Task WaitAsync(int partition, long offset, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (gate)
        {
            if (Volatile.Read(ref applied[partition]) >= offset)
            {
                return Task.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pending.Add((partition, offset, done));
            waiting = pending.Count;
        }

        // Re-check after publishing the waiter: the reader may have applied the offset in between.
        if (Volatile.Read(ref applied[partition]) >= offset)
        {
            Applied(partition, Volatile.Read(ref applied[partition]));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    public void FailAll(Exception error)
    {
        lock (gate)
        {
            foreach (var (_, _, done) in pending)
            {
                done.TrySetException(error);
            }

            pending.Clear();
            waiting = 0;
        }
    }
}
