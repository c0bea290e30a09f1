using System.ComponentModel.DataAnnotations;

// RangeAttribute(Type, string, string) is marked RequiresUnreferencedCode for its TypeConverter lookup. These ranges are
// read only at compile time, by the options validator generator (ConsumerGroupOptionsRanges, through
// [ValidateObjectMembers] on ConsumerGroupOptions.Batch), which emits a reflection-free check.
#pragma warning disable IL2026

namespace KafkaTyped.Consuming;

/// <summary>
/// How the records of a group's <see cref="IHandleBatch{TMessage}"/> handlers are gathered (<c>KafkaTyped:Consumers:{group}:Batch</c>).
/// A batch ends at whichever bound it reaches first: <see cref="MaxMessages"/>, <see cref="MaxBytes"/> or
/// <see cref="MaxWait"/>. Groups without batch handlers ignore these settings.
/// </summary>
public sealed class BatchOptions
{
    /// <summary>The most messages in one batch. Default 100; at most <see cref="ConsumerGroupOptions.MaxBufferedPerPartition"/> (checked at start).</summary>
    [Range(1, 100_000)]
    public int MaxMessages { get; set; } = 100;

    /// <summary>
    /// The most key and value bytes in one batch (a single larger record still makes a batch of its own). Default 1 MiB.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a batch waits for more records after its first one arrived, when fewer than <see cref="MaxMessages"/> are
    /// there. Default 100 ms; zero hands over what one poll brought at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>What to do with a batch that failed all its attempts. Default <see cref="BatchFailureMode.Split"/>.</summary>
    public BatchFailureMode OnFailure { get; set; } = BatchFailureMode.Split;
}

/// <summary>What happens to a batch whose handler failed all the group's <see cref="RetryOptions.MaxAttempts"/>.</summary>
public enum BatchFailureMode
{
    /// <summary>
    /// Bisect: each half is handled as a batch of its own (with the same retries), and so on down to single records; only
    /// the records that fail alone go to the dead-letter topic. Costs up to log2(batch size) more rounds of retries.
    /// </summary>
    Split,

    /// <summary>Every record of the batch goes to the dead-letter topic, with the batch's last exception.</summary>
    DeadLetterWhole,
}
