using System.Diagnostics;

namespace KafkaTyped.Consuming;

/// <summary>
/// Whether the poll thread may run one partition's records itself (<see cref="PartitionWorker"/>), learnt from how its
/// handlers behave, and the DI scope those runs share.
/// </summary>
/// <remarks>
/// <para>Only handlers that complete synchronously and fast belong on the poll thread: there the hand-over to a lane
/// costs more than the handler, while a slow or awaiting handler would hold up polling for every partition and
/// serialize what lanes run side by side. So a partition starts on its lanes, which time one record in
/// <see cref="SampleEvery"/>; after <see cref="FastSamplesNeeded"/> fast samples in a row the poll thread may take over
/// while the lanes are idle. It keeps timing its own runs: a slow sample (two in a row, as one alone may be the thread's
/// preemption or a GC pause), a record that awaits, or a single run seen past <see cref="TooLongMilliseconds"/> on the
/// coarse clock sends the records back to the lanes, for a number of records that doubles each time.</para>
/// <para>The poll thread calls everything except <see cref="Observe"/> and <see cref="SawAwait"/>, which lanes call too; a lost update between
/// them only delays a decision by a sample.</para>
/// </remarks>
/// <param name="capacity">The partition's buffer: the first number of records sent back to the lanes.</param>
/// <param name="fastEnough">A handler slower than this (in <see cref="Stopwatch"/> ticks) stays on the lanes; tests set it.</param>
internal sealed class PollThreadRuns(int capacity, long fastEnough)
{
    /// <summary>One record in this many is timed precisely (two clock reads would cost more than a cheap handler).</summary>
    public const int SampleEvery = 8;

    /// <summary>Fast samples in a row before the poll thread runs records.</summary>
    private const int FastSamplesNeeded = 4;

    /// <summary>A run seen taking this long on the coarse clock (read for every run) sends the records back at once.</summary>
    private const long TooLongMilliseconds = 10;

    /// <summary>Fast samples on the poll thread after which the backoff starts again from its first length.</summary>
    private const int ForgiveAfter = 1024;

    /// <summary>
    /// A handler slower than this stays on the lanes (1 µs). On two cores with the client's threads beside it, a lane
    /// costs about 0.4 µs of CPU per record more than the poll thread (docs/performance.md). A slower handler would gain
    /// less from skipping that than the lanes gain from running it beside the poll thread.
    /// </summary>
    public static readonly long FastEnoughByDefault = Stopwatch.Frequency / 1_000_000;

    private readonly int firstBackoff = Math.Max(1, capacity);
    private volatile int fastSamples;
    private int slowSamples;
    private int backoff = Math.Max(1, capacity);
    private int skip;
    private int runs;
    private long startedTick;
    private int runsSinceSentBack;

    /// <summary>The scope the records run on the poll thread share; ended at the end of each poll burst.</summary>
    public LaneScope? Scope { get; set; }

    /// <summary>Records run in <see cref="Scope"/>.</summary>
    public int InScope { get; set; }

    /// <summary>Records completed on the poll thread and not yet counted for the commit cadence.</summary>
    public int Completed { get; set; }

    /// <summary>True when the next record may run on the poll thread (called for every record the partition stages).</summary>
    public bool Allowed()
    {
        if (skip > 0)
        {
            skip--;
            return false;
        }

        return fastSamples >= FastSamplesNeeded;
    }

    /// <summary>Called before a run; returns the precise start of a sampled run, or 0.</summary>
    public long Start()
    {
        startedTick = Environment.TickCount64;
        return ++runs % SampleEvery == 0 ? Stopwatch.GetTimestamp() : 0;
    }

    /// <summary>Called after a run that completed synchronously, with what <see cref="Start"/> returned.</summary>
    public void Finish(long started)
    {
        if (Environment.TickCount64 - startedTick > TooLongMilliseconds)
        {
            SendBack();
        }
        else if (started != 0)
        {
            Observe(started);
            if (fastSamples >= FastSamplesNeeded && ++runsSinceSentBack >= ForgiveAfter)
            {
                // A long good stretch: an old slow spell no longer costs more than the first backoff.
                backoff = firstBackoff;
            }
        }
    }

    /// <summary>Called when a run awaited (I/O, a retry's backoff, a schema fetch): the lanes take the next records.</summary>
    public void WentAsynchronous() => SendBack();

    /// <summary>A record a lane had to await: the samples so far no longer count, and learning starts over.</summary>
    public void SawAwait()
    {
        fastSamples = 0;
        slowSamples = 0;
    }

    /// <summary>A sampled record that completed synchronously, timed from <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp) to now.</summary>
    public void Observe(long started)
    {
        if (Stopwatch.GetTimestamp() - started <= fastEnough)
        {
            slowSamples = 0;
            if (fastSamples < FastSamplesNeeded)
            {
                fastSamples++;
            }

            return;
        }

        if (++slowSamples >= 2)
        {
            SendBack();
        }
    }

    private void SendBack()
    {
        slowSamples = 0;
        runsSinceSentBack = 0;
        if (fastSamples < FastSamplesNeeded)
        {
            // Not running on the poll thread (a lane's sample): the lanes simply keep the records.
            fastSamples = 0;
            return;
        }

        fastSamples = 0;
        skip = backoff;
        backoff = Math.Min(backoff * 2, firstBackoff * 64);
    }
}
