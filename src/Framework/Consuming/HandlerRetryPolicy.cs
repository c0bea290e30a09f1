using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KafkaTyped.Consuming;

/// <summary>
/// The retry policy of one consumer group as Polly.Core pipelines, built once per group:
/// <list type="bullet">
/// <item>handler failures: <see cref="RetryOptions.MaxAttempts"/> attempts with exponential, jittered backoff between
/// <see cref="RetryOptions.InitialDelay"/> and <see cref="RetryOptions.MaxDelay"/> (without a dead-letter topic: until
/// the handler succeeds); non-retryable exceptions are not retried;</item>
/// <item>an unreachable Schema Registry: not the record's fault, so it uses up no attempt and never dead-letters; the
/// partition waits <see cref="RetryOptions.MaxDelay"/> between tries, until cancelled.</item>
/// </list>
/// </summary>
/// <remarks>
/// Polly runs only after a first attempt failed or went asynchronous: the hot path (<see cref="MessageProcessor"/>'s
/// synchronous first attempt) never enters a pipeline. Before every retry the lane's DI scope ends, so scoped services
/// that saw the failure are not reused. Thread-safe: the pipelines are shared by the group's lanes.
/// </remarks>
internal sealed class HandlerRetryPolicy
{
    private static readonly ResiliencePropertyKey<Attempt> AttemptKey = new("kafkatyped.attempt");

    private readonly ResiliencePipeline registryWaits;
    private readonly ResiliencePipeline handlerRetries;

    public HandlerRetryPolicy(ConsumerGroupOptions options, string group, ILogger logger)
    {
        registryWaits = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is SchemaRegistry.SchemaRegistryException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                Delay = options.Retry.MaxDelay,
                OnRetry = args =>
                {
                    var attempt = args.Context.Properties.GetValue(AttemptKey, null!);
                    var record = attempt.Record;
                    ConsumingLog.RegistryUnavailable(logger, args.Outcome.Exception!, record.Topic, record.Partition.Value, record.Offset.Value, group);
                    KafkaTypedMetrics.Failed.Add(1, KafkaTypedMetrics.Tags(record.Topic, group));
                    attempt.WaitedForRegistry();
                    return attempt.Lane.EndAsync();
                },
            })
            .Build();

        var retries = Math.Max(1, options.Retry.MaxAttempts) - 1;
        handlerRetries = new ResiliencePipelineBuilder()
            .AddRetry(HandlerFailureRetries(options, args =>
            {
                var attempt = args.Context.Properties.GetValue(AttemptKey, null!);
                var record = attempt.Record;
                ConsumingLog.Retrying(logger, args.Outcome.Exception!, record.Topic, record.Partition.Value, record.Offset.Value, group, attempt.Number, args.RetryDelay.TotalMilliseconds);
                var tags = KafkaTypedMetrics.Tags(record.Topic, group);
                KafkaTypedMetrics.Failed.Add(1, tags);
                KafkaTypedMetrics.Retried.Add(1, tags);
                return attempt.Lane.EndAsync();
            }))
            .Build();

        // One attempt and no retry when MaxAttempts is 1: the retry strategy needs at least one retry, so it is skipped.
        SingleAttempt = options.DeadLetter.Enabled && retries == 0;
    }

    private bool SingleAttempt { get; }

    /// <summary>
    /// The retry strategy of handler failures, shared by single records and batches (<c>Batching.BatchRetryPolicy</c>):
    /// <see cref="RetryOptions.MaxAttempts"/> attempts (until success without a dead-letter topic), exponential backoff
    /// with jitter, nothing retried that is non-retryable, a registry outage or a cancellation.
    /// </summary>
    internal static RetryStrategyOptions HandlerFailureRetries(ConsumerGroupOptions options, Func<OnRetryArguments<object>, ValueTask> onRetry) => new()
    {
        ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is { } e
            && e is not INonRetryableException
            && e is not SchemaRegistry.SchemaRegistryException
            && e is not OperationCanceledException),
        MaxRetryAttempts = options.DeadLetter.Enabled ? Math.Max(1, Math.Max(1, options.Retry.MaxAttempts) - 1) : int.MaxValue,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.Retry.InitialDelay,
        MaxDelay = options.Retry.MaxDelay,
        OnRetry = onRetry,
    };

    /// <summary>
    /// Runs <paramref name="attempt"/> under the policy: retried handler failures, waits for the registry. Throws the last
    /// failure once retries are exhausted (or at once for a non-retryable one); the caller dead-letters it.
    /// </summary>
    public async ValueTask ExecuteAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AttemptKey, attempt);
        try
        {
            await registryWaits.ExecuteAsync(
                static (ctx, state) => state.Policy.SingleAttempt
                    ? state.Attempt.RunAsync(ctx.CancellationToken)
                    : state.Policy.handlerRetries.ExecuteAsync(static (inner, a) => a.RunAsync(inner.CancellationToken), ctx, state.Attempt),
                context,
                (Policy: this, Attempt: attempt)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>One record's attempts: the first may already be under way (started by the fast path).</summary>
    internal sealed class Attempt(ConsumeResult<byte[], byte[]> record, LaneScope lane, Func<Attempt, CancellationToken, ValueTask> dispatch)
    {
        private ValueTask inheritedPreparation;
        private ValueTask inheritedDispatch;
        private Exception? inheritedFailure;
        private Inherited inherited;
        private bool registryWait;

        /// <summary>What the fast path handed over. Decided once, when it is handed over: a pending operation may
        /// complete on another thread at any moment, so its status is never asked again to tell what it was.</summary>
        private enum Inherited
        {
            Nothing,
            PendingPreparation,
            PendingDispatch,
            Failure,
        }

        public ConsumeResult<byte[], byte[]> Record { get; } = record;

        public LaneScope Lane { get; } = lane;

        /// <summary>1 for the first attempt, 2 for the first retry, and so on (waits for the registry do not count).</summary>
        public int Number { get; private set; }

        /// <summary>The last try failed because the registry was unreachable: the next one repeats the same attempt number.</summary>
        public void WaitedForRegistry() => registryWait = true;

        /// <summary>The fast path found the schema id being fetched: the first attempt awaits it, then dispatches.</summary>
        public void InheritPreparation(ValueTask pending)
        {
            inheritedPreparation = pending;
            inherited = Inherited.PendingPreparation;
        }

        /// <summary>The fast path's dispatch went asynchronous: it is the first attempt, awaited, never started again.</summary>
        public void InheritDispatch(ValueTask pending)
        {
            inheritedDispatch = pending;
            inherited = Inherited.PendingDispatch;
        }

        /// <summary>The fast path's first attempt threw synchronously.</summary>
        public void InheritFailure(Exception failure)
        {
            inheritedFailure = failure;
            inherited = Inherited.Failure;
        }

        public async ValueTask RunAsync(CancellationToken cancellationToken)
        {
            if (registryWait)
            {
                registryWait = false;
            }
            else
            {
                Number++;
            }

            var handedOver = inherited;
            inherited = Inherited.Nothing;
            switch (handedOver)
            {
                case Inherited.Failure:
                    var failure = inheritedFailure!;
                    inheritedFailure = null;
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
                    break;
                case Inherited.PendingDispatch:
                    var pending = inheritedDispatch;
                    inheritedDispatch = default;
                    await pending.ConfigureAwait(false);
                    return;
                case Inherited.PendingPreparation:
                    // The schema id was being fetched: the dispatch itself is still to do.
                    var preparation = inheritedPreparation;
                    inheritedPreparation = default;
                    await preparation.ConfigureAwait(false);
                    break;
            }

            await dispatch(this, cancellationToken).ConfigureAwait(false);
        }
    }
}
