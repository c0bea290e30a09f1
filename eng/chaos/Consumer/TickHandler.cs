using KafkaTyped.Chaos;

namespace KafkaTyped.Chaos.Consumer;

/// <summary>
/// The chaos group's handler: records each record it handles before returning (so the record is in the log whenever
/// its offset can be committed), and fails on the records the producer marked <see cref="Tick.Fail"/>, every attempt,
/// so that they, and only they (with the poison bytes), end in the dead-letter topic.
/// </summary>
/// <remarks>
/// Every 64th sequence number the handler goes asynchronous, as I/O-bound handlers do: by default it awaits a timer
/// (about a millisecond); with <c>--chaos:yield=true</c> (<c>eng/chaos.sh --yielding-handlers</c>) it awaits
/// <c>Task.Yield()</c>, which completes within microseconds on another thread and so meets the engine race
/// <c>AsyncCompletionTests</c> pins (such a record is handled twice; the checker reports it as an unexplained duplicate).
/// </remarks>
[ConsumerGroup(ChaosTopics.Group)]
public sealed partial class TickHandler(RecordLog log, HandlerStyle style) : IHandle<Tick>
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
        return message.Seq % 64 != 0 ? default : style.Yield ? YieldAsync() : WaitAsync(cancellationToken);
    }

    private static async ValueTask YieldAsync() => await Task.Yield();

    private static async ValueTask WaitAsync(CancellationToken cancellationToken) => await Task.Delay(1, cancellationToken);
}

/// <summary>How the handler goes asynchronous (see <see cref="TickHandler"/>).</summary>
public sealed record HandlerStyle(bool Yield);

/// <summary>The failure a handler throws on purpose.</summary>
public sealed class InjectedFailureException(string message) : Exception(message);
