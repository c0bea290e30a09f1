using KafkaTyped;

namespace KafkaTyped.Chaos;

/// <summary>Names and sizes every chaos app agrees on.</summary>
public static class ChaosTopics
{
    /// <summary>The keyed stream the producer writes and the consumer group reads.</summary>
    public const string Ticks = "chaos-ticks";

    /// <summary>
    /// 32 partitions: the embedded cluster keeps about 5 MiB or 100,000 batches per partition, and the soak's million
    /// records (about 30 bytes each, a few per batch) must fit several times over, so that "nothing lost" is never
    /// confounded by retention. The runner checks every low watermark is still 0 at the end.
    /// </summary>
    public const int TickPartitions = 32;

    /// <summary>The consumer group.</summary>
    public const string Group = "chaos";

    /// <summary>The replicated cache's topic.</summary>
    public const string Cache = "chaos-cache";

    /// <summary>The replicated cache's partitions.</summary>
    public const int CachePartitions = 12;

    /// <summary>The dead-letter topic of <see cref="Ticks"/> (the default suffix).</summary>
    public const string DeadLetters = Ticks + ".dlq";
}

/// <summary>The chaos stream: every key carries its own sequence 0, 1, 2, ...</summary>
[Topic(ChaosTopics.Ticks, Partitions = ChaosTopics.TickPartitions)]
public partial interface IChaosTicks;

/// <summary>
/// One record of the stream: key <c>k{KeyId}</c>, the key's sequence number, and whether the handler must fail on it
/// (the injected handler failures that must end in the dead-letter topic, and only those).
/// </summary>
[KafkaMessage]
public sealed partial record Tick([Field(1), Key] string Key, [Field(2)] int KeyId, [Field(3)] int Seq, [Field(4)] bool Fail) : IChaosTicks;

/// <summary>A value of the replicated cache: which operation of the writer's plan wrote it.</summary>
[KafkaMessage]
public sealed partial record CacheEntry([Field(1)] int Op, [Field(2)] int Writer);
