using System.Diagnostics;
using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using KafkaTyped.GeneratedCode;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming.Batching;

/// <summary>
/// The record processor of a group with <see cref="IHandleBatch{TMessage}"/> handlers: its lanes gather records
/// (<see cref="BatchLane"/>) and hand them here; runs of one batch-handled member type go to the batch handler, every
/// other record to the group's <see cref="MessageProcessor"/>, in offset order.
/// </summary>
/// <remarks>
/// A failing batch is retried whole (<see cref="BatchRetryPolicy"/>), then split in halves or dead-lettered whole
/// (<see cref="BatchOptions.OnFailure"/>); an unreadable record is always isolated by splitting, so readable records are
/// never dead-lettered for it. Groups without batch handlers never get this processor: their lanes run the single-record
/// path unchanged.
/// </remarks>
internal sealed class BatchRecordProcessor : IRecordProcessor
{
    private const string BatchSizeTag = "messaging.batch.message_count";

    private readonly MessageProcessor single;
    private readonly ConsumerGroupDispatcher dispatcher;
    private readonly ConsumerGroupOptions options;
    private readonly DeadLetterPublisher deadLetters;
    private readonly BatchRetryPolicy retries;
    private readonly IServiceProvider? scopePerAttempt;
    private readonly ILogger logger;
    private readonly string group;

    public BatchRecordProcessor(MessageProcessor single, ConsumerGroupDispatcher dispatcher, IServiceProvider services, ConsumerGroupOptions options, DeadLetterPublisher deadLetters, ILogger logger)
    {
        this.single = single;
        this.dispatcher = dispatcher;
        this.options = options;
        this.deadLetters = deadLetters;
        this.logger = logger;
        group = dispatcher.GroupId;
        retries = new BatchRetryPolicy(options, group, logger);
        scopePerAttempt = options.HandlerScope == HandlerScope.PerMessage ? services : null;
    }

    /// <summary>The group's batch bounds.</summary>
    public BatchOptions Batch => options.Batch;

    /// <inheritdoc />
    public bool CanRunOnPollThread => false;

    public int MaxMessagesPerScope => single.MaxMessagesPerScope;

    public LaneScope CreateLaneScope() => single.CreateLaneScope();

    public ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken) =>
        single.ProcessAsync(record, lane, cancellationToken);

    /// <summary>
    /// Handles <paramref name="records"/>[0..<paramref name="count"/>) in order: runs of one batch slot as batches, the
    /// rest one by one. Stops between runs once the partition stops taking records.
    /// </summary>
    /// <param name="records">The gathered records, in offset order.</param>
    /// <param name="count">How many.</param>
    /// <param name="slots">Scratch space for the records' batch slots, at least <paramref name="count"/> long.</param>
    /// <param name="partition">The records' partition.</param>
    /// <param name="lane">The lane's scope holder.</param>
    /// <param name="cancellationToken">Cancels the handlers (revoke or shutdown drain exceeded).</param>
    /// <returns>How many records from the start were handled or dead-lettered; the rest must not be committed.</returns>
    public async ValueTask<int> ProcessRunAsync(ConsumeResult<byte[], byte[]>[] records, int count, int[] slots, PartitionWorker partition, LaneScope lane, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                slots[i] = await SlotOfAsync(records[i], cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }

        var done = 0;
        while (done < count)
        {
            if (done > 0 && partition.Stopping)
            {
                return done;
            }

            var slot = slots[done];
            if (slot < 0)
            {
                if (!await single.ProcessAsync(records[done], lane, cancellationToken).ConfigureAwait(false))
                {
                    return done;
                }

                done++;
                continue;
            }

            var end = done + 1;
            while (end < count && slots[end] == slot)
            {
                end++;
            }

            var handled = await HandleAsync(slot, records.AsMemory(done, end - done), lane, cancellationToken).ConfigureAwait(false);
            done += handled;
            if (done < end)
            {
                return done;
            }
        }

        return done;
    }

    /// <summary>
    /// The record's batch slot once its framing can be read; -1 sends it down the single-record path, which waits for an
    /// unreachable registry and dead-letters an unreadable record.
    /// </summary>
    private async ValueTask<int> SlotOfAsync(ConsumeResult<byte[], byte[]> record, CancellationToken cancellationToken)
    {
        try
        {
            var preparation = dispatcher.PrepareToReadAsync(record, cancellationToken);
            if (preparation.IsCompletedSuccessfully)
            {
                preparation.GetAwaiter().GetResult();
            }
            else
            {
                await preparation.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception)
        {
            return -1;
        }

        return dispatcher.SlotOfRecord(record);
    }

    /// <summary>
    /// One batch under the retry policy, then the failure mode; returns how many records from the start are done. The
    /// halves of a split batch are not counted as consumed again (<paramref name="isHalf"/>).
    /// </summary>
    private async ValueTask<int> HandleAsync(int slot, ReadOnlyMemory<ConsumeResult<byte[], byte[]>> records, LaneScope lane, CancellationToken cancellationToken, bool isHalf = false)
    {
        var attempt = new BatchAttempt(dispatcher, slot, records, lane, scopePerAttempt);
        var (outcome, failure) = await AttemptAsync(attempt, countConsumed: !isHalf, cancellationToken).ConfigureAwait(false);
        if (outcome != Outcome.Failed)
        {
            return outcome == Outcome.Handled ? records.Length : 0;
        }

        // Scoped services that saw the failure (a DbContext with half-applied changes) are not handed to anyone else.
        await lane.EndAsync().ConfigureAwait(false);
        var first = records.Span[0];
        var last = records.Span[^1];
        if (records.Length == 1)
        {
            return await deadLetters.PublishAsync(first, failure!, attempt.Number, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        if (options.Batch.OnFailure == BatchFailureMode.Split || failure is MessageDeserializationException)
        {
            // Halves in order (the left one first), so a key's records are still handled in offset order.
            BatchingLog.Splitting(logger, failure!, first.Topic, first.Partition.Value, first.Offset.Value, last.Offset.Value, records.Length, group);
            var half = records.Length / 2;
            var left = await HandleAsync(slot, records[..half], lane, cancellationToken, isHalf: true).ConfigureAwait(false);
            return left < half ? left : left + await HandleAsync(slot, records[half..], lane, cancellationToken, isHalf: true).ConfigureAwait(false);
        }

        BatchingLog.DeadLetteringWhole(logger, failure!, first.Topic, first.Partition.Value, first.Offset.Value, last.Offset.Value, records.Length, group);
        for (var i = 0; i < records.Length; i++)
        {
            if (!await deadLetters.PublishAsync(records.Span[i], failure!, attempt.Number, cancellationToken).ConfigureAwait(false))
            {
                return i;
            }
        }

        return records.Length;
    }

    /// <summary>Every attempt of one batch, traced and measured as one <c>process</c> span.</summary>
    private async ValueTask<(Outcome Outcome, Exception? Failure)> AttemptAsync(BatchAttempt attempt, bool countConsumed, CancellationToken cancellationToken)
    {
        var records = attempt.Records;
        var first = records.Span[0];
        var measured = KafkaTypedMetrics.ProcessDuration.Enabled;
        var started = measured ? Stopwatch.GetTimestamp() : 0;
        using var activity = KafkaTracing.StartProcess(first, group);
        activity?.SetTag(BatchSizeTag, records.Length);
        var tags = KafkaTypedMetrics.Tags(first.Topic, group);
        if (countConsumed && KafkaTypedMetrics.Consumed.Enabled)
        {
            KafkaTypedMetrics.Consumed.Add(records.Length, tags);
        }

        try
        {
            await retries.ExecuteAsync(attempt, cancellationToken).ConfigureAwait(false);
            return (Outcome.Handled, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (Outcome.Cancelled, null);
        }
        catch (Exception exception)
        {
            KafkaTypedMetrics.Failed.Add(records.Length, tags);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            activity?.SetTag(SemanticConventions.ErrorType, exception.GetType().FullName);
            return (Outcome.Failed, exception);
        }
        finally
        {
            if (measured)
            {
                KafkaTypedMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
            }
        }
    }

    private enum Outcome
    {
        Handled,
        Cancelled,
        Failed,
    }
}
