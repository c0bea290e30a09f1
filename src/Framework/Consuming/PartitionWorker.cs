using Confluent.Kafka;

namespace KafkaTyped.Consuming;

/// <summary>
/// One assigned partition: its lanes (one for strict partition order, or several key-hash lanes for per-key order), the
/// count of records it holds for back-pressure, and its <see cref="OffsetTracker"/>.
/// </summary>
/// <remarks>
/// Only the poll thread calls <see cref="Stage"/>, <see cref="Flush"/> and <see cref="StopAccepting"/>; lanes call
/// <see cref="Completed"/>. On stop, records queued but not yet started are dropped (they were not committed, so the
/// partition's next owner reads them again); started ones finish.
/// </remarks>
internal sealed class PartitionWorker
{
    private readonly Lane[] lanes;
    private readonly Task[] laneTasks;
    private readonly IRecordProcessor processor;
    private readonly PollThreadRuns? pollThreadRuns;
    private readonly CancellationTokenSource cancellation;
    private readonly Action<int> onCompleted;
    private readonly int capacity;
    private readonly ManualResetEventSlim drained = new(false, spinCount: 0);
    private readonly int takeOverWaitMilliseconds;
    private int drainWaiting;
    private int drainedAt;
    private int takeOverWaitSkip;
    private bool[]? stagedLanes;
    private long[] stagedOffsets = OffsetTracker.LongLived<long>(64);
    private int stagedCount;
    private int stagedRecords;
    private int buffered;
    private volatile bool stopping;

    /// <param name="partition">The partition.</param>
    /// <param name="processor">Handles each record.</param>
    /// <param name="laneCount">Lanes (1 keeps partition order; more keep per-key order).</param>
    /// <param name="capacity">Records staged, queued or running at most before the partition pauses.</param>
    /// <param name="stopToken">Cancels the handlers.</param>
    /// <param name="onCompleted">Told how many records completed (the commit cadence).</param>
    /// <param name="fastEnough">How fast (in <see cref="System.Diagnostics.Stopwatch"/> ticks) a handler must be to run on the poll thread; null for <see cref="PollThreadRuns.FastEnoughByDefault"/>.</param>
    /// <param name="takeOverWaitMilliseconds">How long the poll thread waits for the lanes to finish before it takes the partition over (<see cref="Stage"/>); tests lengthen it.</param>
    public PartitionWorker(TopicPartition partition, IRecordProcessor processor, int laneCount, int capacity, CancellationToken stopToken, Action<int> onCompleted, long? fastEnough = null, int takeOverWaitMilliseconds = TakeOverWaitMilliseconds)
    {
        this.takeOverWaitMilliseconds = takeOverWaitMilliseconds;
        TopicPartition = partition;
        this.capacity = Math.Max(1, capacity);
        ReportEvery = Math.Max(1, this.capacity / 8);
        HandOverEvery = Math.Max(1, this.capacity / 2);
        this.onCompleted = onCompleted;
        this.processor = processor;
        pollThreadRuns = processor.CanRunOnPollThread ? new PollThreadRuns(this.capacity, fastEnough ?? PollThreadRuns.FastEnoughByDefault) : null;
        cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopToken);
        lanes = new Lane[Math.Max(1, laneCount)];
        laneTasks = new Task[lanes.Length];
        var token = cancellation.Token;
        for (var i = 0; i < lanes.Length; i++)
        {
            var lane = lanes[i] = new Lane(this);
            laneTasks[i] = Task.Run(() => lane.RunAsync(processor, token), CancellationToken.None);
        }
    }

    /// <summary>
    /// How long the poll thread waits at most for the lanes to finish what they hold before it runs the partition's
    /// records itself: as long as a full partition gets to drain (<see cref="PollLoop"/>), since handlers that may run on
    /// the poll thread take well under a microsecond each.
    /// </summary>
    public const int TakeOverWaitMilliseconds = 2;

    public TopicPartition TopicPartition { get; }

    /// <summary>True while the poll thread waits for the lanes to finish before it takes the partition over (tests watch it).</summary>
    internal bool WaitingToTakeOver { get; private set; }

    /// <summary>How many times the poll thread waited for the lanes to finish before taking the partition over (tests count them).</summary>
    internal int TakeOverWaits { get; private set; }

    /// <summary>Whether the poll thread may run this partition's records itself, learnt from its lanes' samples; null when the processor never allows it.</summary>
    internal PollThreadRuns? PollThreadRuns => pollThreadRuns;

    public OffsetTracker Offsets { get; } = new();

    /// <summary>True while the poll loop keeps this partition paused for back-pressure.</summary>
    public bool Paused { get; set; }

    /// <summary>True while the application paused this partition (<see cref="IConsumerGroupControl"/>).</summary>
    public bool UserPaused { get; set; }

    /// <summary>The first record the poll loop did not hand over because of a user pause (-1 for none): where to resume.</summary>
    public long FirstSkippedOffset { get; set; } = -1;

    /// <summary>Where fetching must continue after a pause: right after the last record handed over, or at the first skipped one.</summary>
    public long ResumeOffset => LastReceivedOffset >= 0 ? LastReceivedOffset + 1 : FirstSkippedOffset;

    /// <summary>The offset of the last record handed to this worker, or -1.</summary>
    public long LastReceivedOffset { get; private set; } = -1;

    /// <summary>Records staged, queued or running.</summary>
    public int Buffered => Volatile.Read(ref buffered);

    /// <summary>True when the partition should be paused.</summary>
    public bool IsFull => Buffered >= capacity;

    /// <summary>True when the records staged for the next <see cref="Flush"/> would fill the buffer.</summary>
    public bool IsFullWithStaged => Buffered + stagedRecords >= capacity;

    /// <summary>True when a paused partition may resume (half the buffer is free, to avoid flapping).</summary>
    public bool CanResume => Buffered <= capacity / 2;

    /// <summary>
    /// A lane reports its completed records at least this often within a batch: the poll loop, waiting for the buffer to
    /// drain to half, must not have to wait for the whole batch (which would serialize polling and handling).
    /// </summary>
    public int ReportEvery { get; }

    /// <summary>
    /// During a poll burst, staged records wait for this many (half the buffer) before they are handed to lanes that have
    /// nothing left to do; lanes still working get them every <see cref="ReportEvery"/> records (<see cref="Stage"/>).
    /// </summary>
    public int HandOverEvery { get; }

    /// <summary>True once the partition was revoked or lost; staged records are then never handed over.</summary>
    public bool Removed { get; set; }

    /// <summary>True once <see cref="StopAccepting"/> was called: lanes finish the record they run and stop.</summary>
    public bool Stopping => stopping;

    /// <summary>True when <see cref="Stage"/> was called since the last <see cref="Flush"/>.</summary>
    public bool HasStaged { get; private set; }

    /// <summary>
    /// Registers a record to be handed to its lane at the next <see cref="Flush"/>, which also makes its offset pending.
    /// Within a burst the staged records are handed over every <see cref="ReportEvery"/> records while the partition's
    /// lanes still work, and every <see cref="HandOverEvery"/> records when they have run dry.
    /// </summary>
    /// <remarks>
    /// <para>librdkafka hands out long runs of one partition, so a burst often stages a whole buffer of one partition:
    /// handed over only at the burst's end, the lane would idle while the poll thread staged, and the poll thread then
    /// wait while the lane worked (measured: the poll thread spent a fifth of the run waiting for lanes to drain, the
    /// lanes two thirds of it idle). Handing over in chunks lets both work at once.</para>
    /// <para>Handing records to a lane that still works is free: it reads them when it finishes what it has. A lane
    /// that ran dry is woken, and a thread-pool wake-up, with the pool's spinning before its worker sleeps again, costs
    /// tens of microseconds of CPU. Lanes with fast handlers run dry between chunks: with chunks of an eighth of the
    /// buffer they were woken 1,100–1,300 times per 200,000 records and spent 40% of their thread's time in the pool's
    /// wait; with half-buffer chunks for dry lanes, 330 times, and the engine's CPU over a minimal hand-over fell by
    /// 0.07–0.2 µs per record (see docs/performance.md). Lanes busy with slow (I/O-bound) handlers keep getting records
    /// in small chunks, so they never wait for the poll thread to gather half a buffer.</para>
    /// </remarks>
    public void Stage(ConsumeResult<byte[], byte[]> record)
    {
        var offset = record.Offset.Value;
        var lane = lanes.Length == 1 ? 0 : LaneOf(record.Message?.Key, offset, lanes.Length);

        // Allowed() is asked for every record (it counts down a send-back); the rest says nothing of the partition is
        // staged, queued or running, or will be once the lanes finish what they hold (TakeOver).
        if (pollThreadRuns is { } runs && runs.Allowed() && stagedRecords == 0 && !record.IsPartitionEOF && (Buffered == 0 || TakeOver()))
        {
            LastReceivedOffset = offset;
            HasStaged = true;
            RunOnPollThread(runs, record, lane);
            return;
        }

        stagedRecords++;
        if (takeOverWaitSkip > 0)
        {
            takeOverWaitSkip--;
        }

        if (!record.IsPartitionEOF)
        {
            // An end-of-partition marker (staged only by a replica, to pass through its lane in order) has no offset of
            // its own to commit.
            LastReceivedOffset = offset;
            if (stagedCount == stagedOffsets.Length)
            {
                var grown = OffsetTracker.LongLived<long>(stagedCount * 2);
                stagedOffsets.AsSpan().CopyTo(grown);
                stagedOffsets = grown;
            }

            stagedOffsets[stagedCount++] = offset;
        }

        lanes[lane].Stage(record);
        if (lanes.Length > 1)
        {
            (stagedLanes ??= new bool[lanes.Length])[lane] = true;
        }

        HasStaged = true;

        // Buffered counts records handed over and not yet completed: while it is above zero a lane is working.
        if (stagedRecords >= ReportEvery && (stagedRecords >= HandOverEvery || Buffered > 0))
        {
            HandOverStaged();
        }
    }

    /// <summary>Hands the staged records to their lanes, one batch per lane, and ends the burst for this partition.</summary>
    public void Flush()
    {
        HandOverStaged();
        HasStaged = false;
        if (pollThreadRuns is { } runs)
        {
            EndPollThreadBurst(runs);
        }
    }

    /// <summary>
    /// The poll thread may run the partition's records (its handlers proved fast) but its lanes still hold records handed
    /// over earlier: waits up to <see cref="TakeOverWaitMilliseconds"/> for them to finish; true when they did.
    /// </summary>
    /// <remarks>
    /// Without the wait the switch to the poll thread happened only when the lanes ran dry between two records of the
    /// partition, and while the poll thread kept handing them chunks of a long run they rarely did: after each assignment
    /// (and each send-back) one to four thousand records per partition still took the hand-over, 3–12% of a 200,000
    /// record backlog, and records queued for a lane are what a collection then finds alive (docs/performance.md). A wait
    /// that times out (the lane's thread did not get a core) is not repeated for the next <see cref="HandOverEvery"/>
    /// records, so a busy machine costs the poll loop one short wait at a time.
    /// </remarks>
    private bool TakeOver()
    {
        if (takeOverWaitSkip > 0)
        {
            return false;
        }

        TakeOverWaits++;
        WaitingToTakeOver = true;
        try
        {
            if (WaitToDrain(takeOverWaitMilliseconds, target: 0))
            {
                return true;
            }
        }
        finally
        {
            WaitingToTakeOver = false;
        }

        takeOverWaitSkip = HandOverEvery;
        return false;
    }

    /// <summary>
    /// Runs a record on the poll thread: its partition has nothing staged, queued or running, so no lane can run anything
    /// before or beside it. A handler that completes synchronously costs no hand-over at all; one that awaits (or fails
    /// and is retried) continues on its lane, which reports it once it completes.
    /// </summary>
    private void RunOnPollThread(PollThreadRuns runs, ConsumeResult<byte[], byte[]> record, int lane)
    {
        var offset = record.Offset.Value;
        var scope = runs.Scope ??= processor.CreateLaneScope();
        var started = runs.Start();
        var running = processor.ProcessAsync(record, scope, cancellation.Token);

        if (running.IsCompletedSuccessfully)
        {
            var handled = running.Result;
            runs.Finish(started);
            if (handled)
            {
                Offsets.CompleteAlone(offset);
                runs.Completed++;
            }
            else
            {
                // Cancelled before it was handled: uncommitted, and so is everything after it (as on a lane).
                Offsets.Add(offset);
            }

            if (++runs.InScope >= processor.MaxMessagesPerScope)
            {
                EndPollThreadScope(runs);
            }

            return;
        }

        // It awaits: the lane awaits it, with the scope it runs in (which nothing else uses meanwhile).
        runs.WentAsynchronous();
        runs.Scope = null;
        runs.InScope = 0;
        Offsets.Add(offset);
        Interlocked.Increment(ref buffered);
        lanes[lane].HandOverRunning(record, running, scope);
    }

    private void EndPollThreadBurst(PollThreadRuns runs)
    {
        if (runs.Completed > 0)
        {
            onCompleted(runs.Completed);
            runs.Completed = 0;
        }

        EndPollThreadScope(runs);
    }

    private static void EndPollThreadScope(PollThreadRuns runs)
    {
        runs.InScope = 0;
        if (runs.Scope is { } scope)
        {
            // The holder stays for the next burst (its next use starts a fresh DI scope): a new one per burst cost its
            // allocation and its handler cache's, about 200 B per scope.
            var ending = scope.EndAsync();
            if (!ending.IsCompletedSuccessfully)
            {
                // LaneScope.EndAsync logs disposal failures itself; an asynchronous disposal finishes on its own.
                _ = ending.AsTask();
            }
        }
    }

    private void HandOverStaged()
    {
        // Pending before any lane can complete them: one lock and one interlocked add per chunk, not per record.
        Offsets.Add(stagedOffsets.AsSpan(0, stagedCount));
        Interlocked.Add(ref buffered, stagedRecords);
        stagedCount = 0;
        stagedRecords = 0;
        if (stagedLanes is null)
        {
            lanes[0].Flush();
        }
        else
        {
            for (var i = 0; i < lanes.Length; i++)
            {
                if (stagedLanes[i])
                {
                    stagedLanes[i] = false;
                    lanes[i].Flush();
                }
            }
        }
    }

    /// <summary>Called by a lane: <paramref name="records"/>[<paramref name="from"/>..<paramref name="to"/>) were handled or dead-lettered.</summary>
    internal void Completed(ConsumeResult<byte[], byte[]>[] records, int from, int to)
    {
        var count = to - from;
        if (count <= 0)
        {
            return;
        }

        Offsets.Complete(records, from, to);
        var left = Interlocked.Add(ref buffered, -count);
        onCompleted(count);
        if (Volatile.Read(ref drainWaiting) == 1 && left <= Volatile.Read(ref drainedAt))
        {
            drained.Set();
        }
    }

    /// <summary>
    /// Blocks the poll thread until the lanes drained the buffer to half (<see cref="CanResume"/>) or
    /// <paramref name="timeoutMilliseconds"/> passed. Blocking, not spinning: on a small machine the lanes need the core.
    /// </summary>
    /// <returns>True when the buffer drained in time.</returns>
    public bool WaitToDrain(int timeoutMilliseconds) => WaitToDrain(timeoutMilliseconds, capacity / 2);

    /// <summary>Blocks the poll thread until at most <paramref name="target"/> records are handed over and not completed, or <paramref name="timeoutMilliseconds"/> passed.</summary>
    private bool WaitToDrain(int timeoutMilliseconds, int target)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        drained.Reset();
        Volatile.Write(ref drainedAt, target);

        // A full fence before reading the count, paired with the lane's interlocked decrement before it reads the flag:
        // either this thread sees the drained count, or the lane sees the flag and sets the event.
        Interlocked.Exchange(ref drainWaiting, 1);
        try
        {
            while (Buffered > target)
            {
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                {
                    return false;
                }

                // A set left over from an earlier wait can wake this one early: the loop checks the count again.
                drained.Wait((int)remaining);
                drained.Reset();
            }

            return true;
        }
        finally
        {
            Volatile.Write(ref drainWaiting, 0);
        }
    }

    /// <summary>Stops taking records; the returned task completes when the running ones finished.</summary>
    public Task StopAccepting()
    {
        stopping = true;
        if (pollThreadRuns is { } runs)
        {
            EndPollThreadBurst(runs);
        }

        foreach (var lane in lanes)
        {
            lane.Complete();
        }

        return Task.WhenAll(laneTasks);
    }

    /// <summary>Reading restarts at <paramref name="offset"/> (after an aborted transaction): what was received since is forgotten.</summary>
    public void Restart(long offset)
    {
        LastReceivedOffset = offset - 1;
        FirstSkippedOffset = -1;
    }

    /// <summary>Cancels the handlers still running (drain timeout exceeded, or the partition was lost).</summary>
    public void Cancel() => cancellation.Cancel();

    public void Dispose()
    {
        cancellation.Dispose();
        drained.Dispose();
    }

    private static int LaneOf(byte[]? key, long offset, int laneCount)
    {
        if (key is null || key.Length == 0)
        {
            // No key, no order to keep: spread by offset.
            return (int)((ulong)offset % (ulong)laneCount);
        }

        // FNV-1a: cheap, stable, and independent of the partitioner's hash so lanes stay balanced within a partition.
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)laneCount);
    }
}
