using System.Diagnostics;
using System.Runtime.CompilerServices;
using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using KafkaTyped.GeneratedCode;

namespace KafkaTyped.Consuming;

/// <summary>
/// Runs one record through the group's dispatcher: the DI scope of its <see cref="HandlerScope"/>, the process span,
/// in-place retries with backoff (<see cref="HandlerRetryPolicy"/>), and the dead-letter topic when retries are
/// exhausted, the exception is non-retryable or the record is undeserializable.
/// </summary>
internal sealed class MessageProcessor : IRecordProcessor
{
    private readonly ConsumerGroupDispatcher dispatcher;
    private readonly IServiceProvider services;
    private readonly ConsumerGroupOptions options;
    private readonly DeadLetterPublisher deadLetters;
    private readonly ILogger logger;
    private readonly string group;
    private readonly HandlerRetryPolicy retries;
    private readonly Func<HandlerRetryPolicy.Attempt, CancellationToken, ValueTask> dispatchAttempt;

    private readonly Producing.KafkaTransaction? transaction;
    private readonly TransactionalCommits? transactions;

    private readonly ScopedRegistrations? registrations;

    public MessageProcessor(ConsumerGroupDispatcher dispatcher, IServiceProvider services, ConsumerGroupOptions options, DeadLetterPublisher deadLetters, ILogger logger, TransactionalCommits? transactions = null, ScopedRegistrations? registrations = null)
    {
        this.registrations = registrations;
        this.transactions = transactions;
        transaction = transactions?.Transaction;
        this.dispatcher = dispatcher;
        this.services = services;
        this.options = options;
        this.deadLetters = deadLetters;
        this.logger = logger;
        group = dispatcher.GroupId;
        retries = new HandlerRetryPolicy(options, group, logger);
        dispatchAttempt = DispatchAttemptAsync;
    }

    /// <inheritdoc />
    public bool CanRunOnPollThread => transactions is null && (options.HandleOnPollThread ?? Environment.ProcessorCount <= 2);

    /// <summary>The most records one lane batch (and its <see cref="HandlerScope.PerBatch"/> scope) takes.</summary>
    public int MaxMessagesPerScope => options.HandlerScope == HandlerScope.PerBatch ? Math.Max(1, options.MaxMessagesPerScope) : int.MaxValue;

    /// <summary>The DI scope holder for one lane's task.</summary>
    public LaneScope CreateLaneScope()
    {
        // Called at the start of each lane's task: in a transactional group, everything its handlers produce joins the
        // member's transaction.
        Producing.KafkaTransaction.Enter(transaction);
        var cache = options.HandlerScope == HandlerScope.PerBatch ? registrations?.CacheFor(services) : null;
        return new(services, options.HandlerScope, group, logger, cache);
    }

    /// <summary>Processes a record to completion.</summary>
    /// <param name="record">The record.</param>
    /// <param name="lane">The lane's scope (<see cref="HandlerScope.PerBatch"/>) or root provider; a failed attempt ends its scope.</param>
    /// <param name="cancellationToken">Cancels the handler (revoke or shutdown drain exceeded).</param>
    /// <returns>True when handled or dead-lettered; false when cancelled first (the record must not be committed).</returns>
    /// <remarks>
    /// The hot path (nobody listening to traces or metrics, the schema id known, a first attempt that completes
    /// synchronously) runs without an async state machine and allocates nothing beyond the handler's message; a first
    /// attempt that goes asynchronous is awaited by <see cref="AwaitFirstAttemptAsync"/>; anything else (and any failure)
    /// continues in <see cref="ProcessSlowAsync"/> from where the fast path got.
    /// </remarks>
    public ValueTask<bool> ProcessAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
    {
        if (transactions is not null)
        {
            return ProcessInTransactionAsync(record, lane, cancellationToken);
        }

        if (KafkaTypedDiagnostics.ActivitySource.HasListeners() || KafkaTypedMetrics.Consumed.Enabled || KafkaTypedMetrics.ProcessDuration.Enabled)
        {
            return ProcessSlowAsync(record, lane, Handover.Nothing, default, null, cancellationToken);
        }

        if (options.HandlerScope == HandlerScope.PerMessage)
        {
            return ProcessInOwnScope(record, lane, cancellationToken);
        }

        ValueTask dispatch;
        try
        {
            var preparation = dispatcher.PrepareToReadAsync(record, cancellationToken);
            if (!preparation.IsCompletedSuccessfully)
            {
                return ProcessSlowAsync(record, lane, Handover.PendingPreparation, preparation, null, cancellationToken);
            }

            preparation.GetAwaiter().GetResult();
            dispatch = dispatcher.DispatchAsync(record, CreateContext(record, 1), lane.Services, cancellationToken);
        }
        catch (Exception exception)
        {
            return ProcessSlowAsync(record, lane, Handover.Failure, default, exception, cancellationToken);
        }

        if (dispatch.IsCompletedSuccessfully)
        {
            dispatch.GetAwaiter().GetResult();
            return new ValueTask<bool>(true);
        }

        return AwaitFirstAttemptAsync(record, lane, dispatch, cancellationToken);
    }

    /// <summary>
    /// A first attempt that went asynchronous (a handler awaiting I/O): awaited on its own, and only a failure enters the
    /// retry pipeline (<see cref="ProcessSlowAsync"/>, with the failure as the first attempt's). The pipeline around every
    /// awaiting handler cost CPU per message that, with hundreds of lanes, showed up as latency: each timer tick's
    /// continuations queued behind one another (64 lanes per partition: the busiest lane took 4.4–5.0 ms per
    /// <c>Task.Delay(1)</c> that takes 3.9–4.2 ms alone). Pooled, so an awaiting handler costs no state machine allocation.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AwaitFirstAttemptAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, ValueTask dispatch, CancellationToken cancellationToken)
    {
        Exception failure;
        try
        {
            await dispatch.ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        return await ProcessSlowAsync(record, lane, Handover.Failure, default, failure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The hot path of <see cref="HandlerScope.PerMessage"/>: the first attempt in a scope of its own, without an async
    /// state machine when the handler and the scope's disposal complete synchronously. A first attempt that goes
    /// asynchronous or fails is handed to <see cref="ProcessSlowAsync"/> as a pending dispatch that ends its scope
    /// before it completes, so a retry never sees the failed attempt's scoped services.
    /// </summary>
    private ValueTask<bool> ProcessInOwnScope(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
    {
        try
        {
            var preparation = dispatcher.PrepareToReadAsync(record, cancellationToken);
            if (!preparation.IsCompletedSuccessfully)
            {
                return ProcessSlowAsync(record, lane, Handover.PendingPreparation, preparation, null, cancellationToken);
            }

            preparation.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            return ProcessSlowAsync(record, lane, Handover.Failure, default, exception, cancellationToken);
        }

        var scope = services.CreateAsyncScope();
        ValueTask dispatch;
        try
        {
            dispatch = dispatcher.DispatchAsync(record, CreateContext(record, 1), scope.ServiceProvider, cancellationToken);
        }
        catch (Exception exception)
        {
            return ProcessSlowAsync(record, lane, Handover.PendingDispatch, EndScopeThenThrowAsync(scope, exception), null, cancellationToken);
        }

        if (!dispatch.IsCompletedSuccessfully)
        {
            return AwaitFirstAttemptAsync(record, lane, AwaitThenEndScopeAsync(dispatch, scope), cancellationToken);
        }

        // A handler that completed synchronously: its result is observed (ValueTask rules), then its scope ends.
        try
        {
            dispatch.GetAwaiter().GetResult();
        }
        catch (Exception exception)
        {
            return ProcessSlowAsync(record, lane, Handover.PendingDispatch, EndScopeThenThrowAsync(scope, exception), null, cancellationToken);
        }

        var ending = EndScopeAsync(scope);
        return ending.IsCompletedSuccessfully ? new ValueTask<bool>(true) : HandledOnceEndedAsync(ending);
    }

    private static async ValueTask<bool> HandledOnceEndedAsync(ValueTask ending)
    {
        await ending.ConfigureAwait(false);
        return true;
    }

    private async ValueTask AwaitThenEndScopeAsync(ValueTask dispatch, AsyncServiceScope scope)
    {
        try
        {
            await dispatch.ConfigureAwait(false);
        }
        finally
        {
            await EndScopeAsync(scope).ConfigureAwait(false);
        }
    }

    private async ValueTask EndScopeThenThrowAsync(AsyncServiceScope scope, Exception failure)
    {
        await EndScopeAsync(scope).ConfigureAwait(false);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>
    /// Ends a message's scope. A scoped service that fails to dispose is logged and is not the record's failure (the
    /// handler already succeeded or failed on its own), as with the lane's scopes (<see cref="LaneScope"/>).
    /// </summary>
    private ValueTask EndScopeAsync(AsyncServiceScope scope)
    {
        try
        {
            var disposal = scope.DisposeAsync();
            return disposal.IsCompletedSuccessfully ? default : AwaitDisposalAsync(disposal);
        }
        catch (Exception exception)
        {
            ConsumingLog.ScopeDisposeFailed(logger, exception, group);
            return default;
        }
    }

    private async ValueTask AwaitDisposalAsync(ValueTask disposal)
    {
        try
        {
            await disposal.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            ConsumingLog.ScopeDisposeFailed(logger, exception, group);
        }
    }

    /// <summary>
    /// The whole policy: tracing and metrics, waiting for the registry and retrying handler failures
    /// (<see cref="HandlerRetryPolicy"/>), dead letters. The first attempt may already be under way, as
    /// <paramref name="handover"/> says (decided by the caller, never by asking <paramref name="pending"/>'s status again:
    /// it may complete on another thread at any moment, and a completed first attempt must not be taken for one that never
    /// started): the schema id's fetch or the dispatch is <paramref name="pending"/>, or <paramref name="firstFailure"/>
    /// was thrown synchronously.
    /// </summary>
    private async ValueTask<bool> ProcessSlowAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, Handover handover, ValueTask pending, Exception? firstFailure, CancellationToken cancellationToken)
    {
        var measured = KafkaTypedMetrics.ProcessDuration.Enabled;
        var started = measured ? Stopwatch.GetTimestamp() : 0;
        using var activity = KafkaTracing.StartProcess(record, group);
        if (KafkaTypedMetrics.Consumed.Enabled)
        {
            KafkaTypedMetrics.Consumed.Add(1, KafkaTypedMetrics.Tags(record.Topic, group));
        }

        var attempt = new HandlerRetryPolicy.Attempt(record, lane, dispatchAttempt);
        switch (handover)
        {
            case Handover.PendingPreparation:
                attempt.InheritPreparation(pending);
                break;
            case Handover.PendingDispatch:
                attempt.InheritDispatch(pending);
                break;
            case Handover.Failure:
                attempt.InheritFailure(firstFailure!);
                break;
        }

        Exception failure;
        try
        {
            await retries.ExecuteAsync(attempt, cancellationToken).ConfigureAwait(false);
            return Handled(measured, started, record);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        // Retries are exhausted, or the failure is not retryable (an undeserializable record): dead-letter it. Scoped
        // services that saw the failure (a DbContext with half-applied changes) are not handed to anyone else.
        await lane.EndAsync().ConfigureAwait(false);
        var tags = KafkaTypedMetrics.Tags(record.Topic, group);
        KafkaTypedMetrics.Failed.Add(1, tags);
        activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
        activity?.SetTag(SemanticConventions.ErrorType, failure.GetType().FullName);
        var published = await deadLetters.PublishAsync(record, failure, attempt.Number, cancellationToken).ConfigureAwait(false);
        if (measured)
        {
            KafkaTypedMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }

        return published;
    }

    /// <summary>
    /// A record of a transactional group: one attempt per transaction. A failure is not retried in place (the attempt
    /// may have produced into the transaction): the record is marked failed, the lane stops, and the poll loop aborts the
    /// transaction and reads every partition again from its last commit. Once a record used up its attempts (or failed
    /// non-retryably), its next turn dead-letters it, inside the transaction, without running the handler again.
    /// </summary>
    private async ValueTask<bool> ProcessInTransactionAsync(ConsumeResult<byte[], byte[]> record, LaneScope lane, CancellationToken cancellationToken)
    {
        var (failed, last) = transactions!.FailuresOf(record);
        if (last is not null && options.DeadLetter.Enabled && failed >= Math.Max(1, options.Retry.MaxAttempts))
        {
            return await deadLetters.PublishAsync(record, last, Math.Min(failed, Math.Max(1, options.Retry.MaxAttempts)), cancellationToken).ConfigureAwait(false);
        }

        using var activity = KafkaTracing.StartProcess(record, group);
        try
        {
            var preparation = dispatcher.PrepareToReadAsync(record, cancellationToken);
            if (!preparation.IsCompletedSuccessfully)
            {
                await preparation.ConfigureAwait(false);
            }

            await dispatcher.DispatchAsync(record, CreateContext(record, failed + 1), lane.Services, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (MessageDeserializationException exception) when (options.DeadLetter.Enabled)
        {
            // Nothing ran, so nothing was produced: dead-lettered in this very transaction.
            return await deadLetters.PublishAsync(record, exception, 1, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await lane.EndAsync().ConfigureAwait(false);
            KafkaTypedMetrics.Failed.Add(1, KafkaTypedMetrics.Tags(record.Topic, group));
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            var attempts = transactions.Failed(record, exception, final: exception is INonRetryableException);
            ConsumingLog.Retrying(logger, exception, record.Topic, record.Partition.Value, record.Offset.Value, group, Math.Min(attempts, Math.Max(1, options.Retry.MaxAttempts)), 0);
            return false;
        }
    }

    /// <summary>One attempt after the first: the schema id (fetched if new), then the dispatch in the right scope.</summary>
    private async ValueTask DispatchAttemptAsync(HandlerRetryPolicy.Attempt attempt, CancellationToken cancellationToken)
    {
        var record = attempt.Record;
        var prepare = dispatcher.PrepareToReadAsync(record, cancellationToken);
        if (!prepare.IsCompletedSuccessfully)
        {
            await prepare.ConfigureAwait(false);
        }

        var dispatch = options.HandlerScope == HandlerScope.PerMessage
            ? DispatchInScopeAsync(record, attempt.Number, cancellationToken)
            : dispatcher.DispatchAsync(record, CreateContext(record, attempt.Number), attempt.Lane.Services, cancellationToken);
        await dispatch.ConfigureAwait(false);
    }

    private bool Handled(bool measured, long started, ConsumeResult<byte[], byte[]> record)
    {
        if (measured)
        {
            KafkaTypedMetrics.ProcessDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, KafkaTypedMetrics.Tags(record.Topic, group));
        }

        return true;
    }

    private MessageContext CreateContext(ConsumeResult<byte[], byte[]> record, int attempt)
    {
        var message = record.Message;
        return new MessageContext(record.Topic, record.Partition.Value, record.Offset.Value, message.Key, message.Headers, message.Timestamp.UtcDateTime, attempt, group);
    }

    private async ValueTask DispatchInScopeAsync(ConsumeResult<byte[], byte[]> record, int attempt, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        ValueTask dispatch;
        try
        {
            dispatch = dispatcher.DispatchAsync(record, CreateContext(record, attempt), scope.ServiceProvider, cancellationToken);
        }
        catch (Exception exception)
        {
            await EndScopeThenThrowAsync(scope, exception).ConfigureAwait(false);
            return;
        }

        await AwaitThenEndScopeAsync(dispatch, scope).ConfigureAwait(false);
    }

    /// <summary>How far the fast path got with a record's first attempt before handing it to the slow path.</summary>
    private enum Handover
    {
        Nothing,
        PendingPreparation,
        PendingDispatch,
        Failure,
    }
}
