using Confluent.Kafka;
using Google.Protobuf.WellKnownTypes;
using KafkaTyped.Consuming;
using KafkaTyped.Hosting;
using KafkaTyped.Producing;
using Microsoft.Extensions.DependencyInjection;
using KafkaTyped.Framing;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.EndToEnd;

/// <summary>A one-member message set (BytesValue), as the generator emits it; the topic varies per run.</summary>
internal sealed class BenchSet(string topic) : MessageSetDefinition
{
    private static readonly ProtoFile Proto = new("bench/bench.proto", "bench", "syntax = \"proto3\";", [], []);

    public override string Topic { get; } = topic;

    public override int Partitions => 6;

    public override ProtoFile File => Proto;

    public override IReadOnlyList<string> MessageNames { get; } = ["google.protobuf.BytesValue"];
}

/// <summary>Which topic the typed side runs on.</summary>
internal sealed class BenchTarget(string topic, string group)
{
    public BenchSet Set { get; } = new(topic);

    public string Group { get; } = group;

    /// <summary>Set for the I/O-bound scenario: every message then awaits a delay and has its per-key order checked.</summary>
    public IoWorkload? Io { get; init; }

    /// <summary>The group's <c>HandleOnPollThread</c> (null: the default).</summary>
    public bool? HandleOnPollThread { get; init; }

    public int Handled;

    /// <summary>The count at which <see cref="AllHandled"/> is set (the consume scenario).</summary>
    public int Expected { get; init; } = int.MaxValue;

    /// <summary>Set by the first handled message: the harness waits on it instead of polling.</summary>
    public ManualResetEventSlim FirstHandled { get; } = new(false, spinCount: 0);

    /// <summary>Set by the <see cref="Expected"/>th handled message.</summary>
    public ManualResetEventSlim AllHandled { get; } = new(false, spinCount: 0);

    /// <summary>
    /// Counts one handled message. The harness thread sleeps on the two events instead of waking every millisecond to
    /// look at the count: on two cores each such wake-up can preempt the poll thread it measures.
    /// </summary>
    public void CountHandled()
    {
        var handled = Interlocked.Increment(ref Handled);
        if (handled == 1)
        {
            FirstHandled.Set();
        }

        if (handled == Expected)
        {
            AllHandled.Set();
        }
    }
}

/// <summary>A handler that waits for I/O (<c>Task.Delay(1)</c>) and checks that each key's offsets arrive in order.</summary>
internal sealed class IoWorkload
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> lastOffsetPerKey = new();
    private int inFlight;

    private readonly int lanes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Partition, int Lane), LaneStats> perLane = new();
    private long firstStart;

    public IoWorkload(int lanes) => this.lanes = lanes;

    public int OrderViolations;

    public int PeakInFlight;

    /// <summary>The most messages one lane of one partition handled: the busiest lane decides when the run ends.</summary>
    public int BusiestLane => perLane.IsEmpty ? 0 : perLane.Values.Max(static l => l.Count);

    /// <summary>
    /// When the busiest lane started, how long it ran and how much of that its handlers took (<c>--lane-detail</c>): a lane
    /// whose span exceeds its handler time waited for records (the engine's fault); handler time above the measured
    /// <c>Task.Delay(1)</c> is latency the process added to every await.
    /// </summary>
    public string DescribeBusiestLane()
    {
        var (lane, stats) = perLane.MaxBy(static p => p.Value.Count);
        var ticksPerMs = System.Diagnostics.Stopwatch.Frequency / 1000.0;
        var ran = (stats.LastEnd - stats.FirstStart) / ticksPerMs;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"busiest lane {lane}: {stats.Count} messages, started {(stats.FirstStart - firstStart) / ticksPerMs:F1} ms after the first handler, ran {ran:F1} ms = {ran / stats.Count:F2} ms per message, {stats.InHandler / ticksPerMs / stats.Count:F2} ms of it in the handler");
    }

    public async ValueTask HandleAsync(MessageContext context, BenchTarget target)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref firstStart, started, 0);
        var lane = perLane.GetOrAdd((context.Partition, LaneOf(context.Key.Span, lanes)), static (_, at) => new LaneStats { FirstStart = at }, started);
        var now = Interlocked.Increment(ref inFlight);
        var peak = Volatile.Read(ref PeakInFlight);
        while (now > peak && Interlocked.CompareExchange(ref PeakInFlight, now, peak) != peak)
        {
            peak = Volatile.Read(ref PeakInFlight);
        }

        await Task.Delay(1).ConfigureAwait(false);
        var key = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(context.Key.Span);
        var previous = lastOffsetPerKey.GetValueOrDefault(key, -1);
        if (previous >= context.Offset)
        {
            Interlocked.Increment(ref OrderViolations);
        }

        lastOffsetPerKey[key] = context.Offset;

        // A lane runs one handler at a time, so its own statistics need no atomics.
        var ended = System.Diagnostics.Stopwatch.GetTimestamp();
        lane.Count++;
        lane.LastEnd = ended;
        lane.InHandler += ended - started;
        Interlocked.Decrement(ref inFlight);
        Interlocked.Increment(ref target.Handled);
    }

    /// <summary>One lane's messages and timings (Stopwatch ticks).</summary>
    private sealed class LaneStats
    {
        public int Count;
        public long FirstStart;
        public long LastEnd;
        public long InHandler;
    }

    /// <summary>The engine's lane of a key (FNV-1a over the key bytes, as <c>PartitionWorker</c> computes it).</summary>
    private static int LaneOf(ReadOnlySpan<byte> key, int laneCount)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)laneCount);
    }
}

/// <summary>What <c>Task.Delay(1)</c> really takes here (timer resolution and scheduling): the latency of the I/O-bound workload.</summary>
internal static class DelayLatency
{
    /// <summary>The mean time of one <c>Task.Delay(1)</c> with <paramref name="concurrency"/> chains awaiting it at once.</summary>
    public static TimeSpan Measure(int concurrency)
    {
        const int Rounds = 40;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Task.WaitAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                await Task.Delay(1).ConfigureAwait(false);
            }
        }).ToArray());
        return watch.Elapsed / Rounds;
    }
}

/// <summary>The typed producer as generated: the key comes from the message (here the run's counter).</summary>
internal sealed class BenchProducer : TypedProducer
{
    private readonly MessageSender<int, BytesValue> sender;

    public BenchProducer(ProducerServices services, BenchTarget target)
        : base(services, target.Set)
    {
        sender = CreateSender<int, BytesValue>(0);
    }

    public void Produce(BytesValue message, int key, Action<DeliveryReport<int, BytesValue>>? deliveryHandler) =>
        sender.Produce(key, message, deliveryHandler, null, default);
}

/// <summary>A no-op handler.</summary>
internal sealed class NoOpHandler(BenchTarget target) : IHandle<BytesValue>
{
    public ValueTask HandleAsync(BytesValue message, MessageContext context, CancellationToken cancellationToken)
    {
        if (target.Io is { } io)
        {
            return io.HandleAsync(context, target);
        }

        target.CountHandled();
        return default;
    }
}

/// <summary>The dispatcher as generated.</summary>
internal sealed class BenchDispatcher : ConsumerGroupDispatcher
{
    private readonly MessageSetDefinition[] topics;

    public BenchDispatcher(IPayloadCodec codec, BenchTarget target)
        : base(codec)
    {
        GroupId = target.Group;
        topics = [target.Set];
    }

    public override string GroupId { get; }

    public override IReadOnlyList<MessageSetDefinition> Topics => topics;

    public override ValueTask DispatchAsync(ConsumeResult<byte[], byte[]> record, MessageContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        var payload = ReadPayload(record, out var topicIndex, out var messageIndex);
        switch (topicIndex)
        {
            case 0:
                switch (messageIndex)
                {
                    case 0: return services.GetRequiredService<NoOpHandler>().HandleAsync(Parse(BytesValue.Parser, payload, record), context, cancellationToken);
                }

                break;
        }

        return Unhandled(record, topicIndex, messageIndex);
    }
}
