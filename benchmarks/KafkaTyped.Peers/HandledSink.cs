using System.Buffers.Binary;
using System.Diagnostics;

namespace KafkaTyped.Peers;

/// <summary>
/// Where every framework's handler reports: counts, produce → handle transit from the timestamp in the data bytes, and
/// (for the I/O-bound workload) the awaited delay, the peak in flight and each key's order by its sequence number.
/// </summary>
internal sealed class HandledSink(int expected, bool ioBound = false)
{
    private readonly double[] transitMs = new double[expected];
    private readonly int[] lastSequence = Enumerable.Repeat(-1, PeerEnvironment.KeyCount).ToArray();
    private int recorded;
    private int inFlight;

    /// <summary>The sink Wolverine's handler (a static method Wolverine discovers) reports to.</summary>
    public static HandledSink Current { get; set; } = new(0);

    public int Handled;

    public int OrderViolations;

    public int PeakInFlight;

    /// <summary>Set when a warm-up message (timestamp 0) arrived: the consumer is assigned and fetching.</summary>
    public volatile bool WarmedUp;

    public bool IoBound => ioBound;

    public double[] SortedTransitMs()
    {
        var values = transitMs.AsSpan(0, Math.Min(recorded, transitMs.Length)).ToArray();
        Array.Sort(values);
        return values;
    }

    /// <summary>A handled message that does no I/O.</summary>
    public void OnData(ReadOnlySpan<byte> data)
    {
        var sent = BinaryPrimitives.ReadInt64LittleEndian(data);
        if (sent == 0)
        {
            WarmedUp = true;
            return;
        }

        if (transitMs.Length > 0)
        {
            var index = Interlocked.Increment(ref recorded) - 1;
            if (index < transitMs.Length)
            {
                transitMs[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            }
        }

        Interlocked.Increment(ref Handled);
    }

    /// <summary>Wolverine's handler: the same as <see cref="OnData"/>, or with I/O: awaits Task.Delay(1) and checks key order.</summary>
    public Task HandleAsync(byte[] data)
    {
        if (!ioBound)
        {
            OnData(data);
            return Task.CompletedTask;
        }

        return HandleIoAsync(data);
    }

    private async Task HandleIoAsync(byte[] data)
    {
        var now = Interlocked.Increment(ref inFlight);
        var peak = Volatile.Read(ref PeakInFlight);
        while (now > peak && Interlocked.CompareExchange(ref PeakInFlight, now, peak) != peak)
        {
            peak = Volatile.Read(ref PeakInFlight);
        }

        await Task.Delay(1).ConfigureAwait(false);
        var key = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(8));
        var sequence = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(12));
        if (Interlocked.Exchange(ref lastSequence[key], sequence) >= sequence)
        {
            Interlocked.Increment(ref OrderViolations);
        }

        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref Handled);
    }

    /// <summary>
    /// Measures from the first handled message (the group has joined and fetches) until <paramref name="count"/> are
    /// handled, as a consumer's rate is measured here; fails when they never are.
    /// </summary>
    public static Measurement MeasureFromFirst(Func<int> handled, int count, string what)
    {
        WaitUntil(() => handled() > 0, TimeSpan.FromMinutes(3));
        var probe = Probe.Start();
        var first = handled();
        WaitUntil(() => handled() >= count, TimeSpan.FromMinutes(5));
        var m = probe.Stop(count - first);
        RawPeer.Check(handled(), count, what);
        return m;
    }

    /// <summary>Waits (sleeping, never spinning: on 2 cores a spin slows what it waits for) until the condition holds.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }
}
