using KafkaTyped.Chaos;

namespace KafkaTyped.Chaos.Consumer;

/// <summary>
/// The chaos group's handler: records each record it handles before returning (so the record is in the log whenever
/// its offset can be committed), and fails on the records the producer marked <see cref="Tick.Fail"/>, every attempt,
/// so that they, and only they (with the poison bytes), end in the dead-letter topic.
/// </summary>
/// <remarks>
/// Twice in every 64 sequence numbers the handler goes asynchronous, as I/O-bound handlers do: once it awaits
/// <c>Task.Yield()</c>, which completes within microseconds on another thread, just after the engine looked at the
/// pending call (the race <c>AsyncCompletionTests</c> pins: such a record was handled twice before commit c6de3b5, and the
/// checker reports that as an unexplained duplicate); once it awaits a timer (about a millisecond).
/// </remarks>
[ConsumerGroup(ChaosTopics.Group)]
public sealed partial class TickHandler(RecordLog log) : IHandle<Tick>
{
    public ValueTask HandleAsync(Tick message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.Fail)
        {
            log.Append(LogRecord.Create(RecordKind.FailedAttempt, message.KeyId, message.Seq, context.Partition, context.Offset, context.Attempt));
            throw new InjectedFailureException($"injected failure of k{message.KeyId}#{message.Seq}");
        }

        log.Append(LogRecord.Create(RecordKind.Handled, message.KeyId, message.Seq, context.Partition, context.Offset, context.Attempt));

        // Now and then a handler that really goes asynchronous, as I/O-bound handlers do.
        return (message.Seq % 64) switch
        {
            0 => YieldAsync(),
            32 => WaitAsync(cancellationToken),
            _ => default,
        };
    }

    private static async ValueTask YieldAsync() => await Task.Yield();

    private static async ValueTask WaitAsync(CancellationToken cancellationToken) => await Task.Delay(1, cancellationToken);
}

/// <summary>The failure a handler throws on purpose.</summary>
public sealed class InjectedFailureException(string message) : Exception(message);
