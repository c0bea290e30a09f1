namespace KafkaTyped.Consuming;

/// <summary>
/// The offsets of one partition that were handed to lanes, in arrival (= offset) order, and which of them completed.
/// The commit position is the offset after the longest completed prefix: nothing past a message that is still running,
/// or was neither handled nor dead-lettered, is ever committed.
/// </summary>
/// <remarks>
/// <c>Add</c> is called by the poll thread (per hand-over), <c>Complete</c> by lanes (per batch); one lock guards both because the
/// critical sections are a few instructions. A ring buffer sorted by offset keeps them allocation-free.
/// <para>
/// <c>CompleteAlone</c> (the poll thread, per record it runs itself) takes no lock while nothing is pending: only the poll
/// thread adds, so a count it reads as zero stays zero until it adds again, and no lane has anything to complete. The
/// lock cost about 15 ns of the poll thread's 80 ns per record (docs/performance.md). The count is published after the
/// commit position it advanced, and the position is read and written atomically, because the commit thread reads it meanwhile.
/// </para>
/// </remarks>
internal sealed class OffsetTracker
{
    private readonly object gate = new();
    // On the pinned object heap: a partition's ring lives as long as its assignment, grows early (the first chunk
    // handed to the lanes) and never shrinks. Left in gen0, it survives every collection of a fresh consumer, and the
    // collector, which does not promote so few survivors, copies it each time (docs/performance.md).
    private long[] offsets = LongLived<long>(64);
    private bool[] done = LongLived<bool>(64);
    private int head;
    private int count;
    private long commitPosition = -1;
    private long committedPosition = -1;

    /// <summary>Offsets added and not yet part of the completed prefix.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    /// <summary>Registers an offset handed to a lane. Offsets must arrive in increasing order.</summary>
    public void Add(long offset) => Add(new ReadOnlySpan<long>(in offset));

    /// <summary>Registers offsets handed to lanes together, in increasing order, under one lock.</summary>
    public void Add(ReadOnlySpan<long> added)
    {
        lock (gate)
        {
            foreach (var offset in added)
            {
                if (count == offsets.Length)
                {
                    Grow();
                }

                var index = (head + count) % offsets.Length;
                offsets[index] = offset;
                done[index] = false;
                count++;
            }
        }
    }

    /// <summary>Marks an offset handled (or dead-lettered) and advances the commit position over the completed prefix.</summary>
    public void Complete(long offset)
    {
        lock (gate)
        {
            MarkDone(offset);
            Advance();
        }
    }

    /// <summary>
    /// Marks an offset handled that was never added: the poll thread ran it while nothing else of the partition was pending,
    /// so the commit position moves right past it.
    /// </summary>
    public void CompleteAlone(long offset)
    {
        if (Volatile.Read(ref count) == 0)
        {
            Volatile.Write(ref commitPosition, offset + 1);
            return;
        }

        lock (gate)
        {
            // Something is pending (a record cancelled at shutdown stays so): tracked like any other, so nothing is skipped.
            Add(offset);
            MarkDone(offset);
            Advance();
        }
    }

    /// <summary>Marks the offsets of <paramref name="records"/>[<paramref name="from"/>..<paramref name="to"/>) done under one lock (a lane's batch).</summary>
    public void Complete(Confluent.Kafka.ConsumeResult<byte[], byte[]>[] records, int from, int to)
    {
        lock (gate)
        {
            for (var i = from; i < to; i++)
            {
                MarkDone(records[i].Offset.Value);
                Advance();
            }
        }
    }

    private void MarkDone(long offset)
    {
        // With one lane completions arrive in order: the offset is at the head, no search needed.
        if (count > 0 && offsets[head] == offset)
        {
            done[head] = true;
            return;
        }

        var logical = Find(offset);
        if (logical >= 0)
        {
            done[(head + logical) % offsets.Length] = true;
        }
    }

    private void Advance()
    {
        var left = count;
        if (left == 0 || !done[head])
        {
            return;
        }

        long position;
        do
        {
            position = offsets[head] + 1;
            head = (head + 1) % offsets.Length;
            left--;
        }
        while (left > 0 && done[head]);

        Volatile.Write(ref commitPosition, position);

        // Published after the position: once CompleteAlone reads zero without the lock, no lane writes the position again.
        Volatile.Write(ref count, left);
    }

    /// <summary>The position to commit when it moved past the last committed one.</summary>
    public bool TryGetCommit(out long position)
    {
        lock (gate)
        {
            position = Volatile.Read(ref commitPosition);
            return position > committedPosition;
        }
    }

    /// <summary>Records a successful commit of <paramref name="position"/>.</summary>
    public void MarkCommitted(long position)
    {
        lock (gate)
        {
            if (position > committedPosition)
            {
                committedPosition = position;
            }
        }
    }

    /// <summary>A fresh tracker learns the position committed before it (a worker replaced after an aborted transaction).</summary>
    public void Committed(long position)
    {
        lock (gate)
        {
            committedPosition = position;
            commitPosition = position;
        }
    }

    /// <summary>
    /// Forgets everything since the last commit (an aborted transaction): the commit position goes back to the committed
    /// one and nothing is pending. Returns where reading must restart, or -1 when nothing was committed by this member.
    /// </summary>
    public long Rewind()
    {
        lock (gate)
        {
            head = 0;
            count = 0;
            commitPosition = committedPosition;
            return committedPosition;
        }
    }

    private int Find(long offset)
    {
        // Binary search over the logical (head-relative) positions; the ring holds offsets in increasing order.
        int low = 0, high = count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var value = offsets[(head + middle) % offsets.Length];
            if (value == offset)
            {
                return middle;
            }

            if (value < offset)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    private void Grow()
    {
        var newOffsets = LongLived<long>(offsets.Length * 2);
        var newDone = LongLived<bool>(offsets.Length * 2);
        for (var i = 0; i < count; i++)
        {
            newOffsets[i] = offsets[(head + i) % offsets.Length];
            newDone[i] = done[(head + i) % offsets.Length];
        }

        offsets = newOffsets;
        done = newDone;
        head = 0;
    }

    /// <summary>An array kept for the partition's lifetime, allocated where gen0 collections neither mark nor copy it.</summary>
    internal static T[] LongLived<T>(int length) where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);
}
