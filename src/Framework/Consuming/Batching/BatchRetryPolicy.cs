using Confluent.Kafka;
using KafkaTyped.Diagnostics;
using KafkaTyped.GeneratedCode;
using Microsoft.Extensions.Logging;
using Polly;

namespace KafkaTyped.Consuming.Batching;

/// <summary>
/// The group's retry policy applied to whole batches (Polly.Core, built once per group): the retry strategy of single
/// records (<see cref="HandlerRetryPolicy.HandlerFailureRetries"/>), logging and counting per batch.
/// </summary>
/// <remarks>Thread-safe: shared by the group's lanes. Before every retry the batch's DI scope ends.</remarks>
internal sealed class BatchRetryPolicy
{
    private static readonly ResiliencePropertyKey<BatchAttempt> AttemptKey = new("kafkatyped.batch-attempt");

    private readonly ResiliencePipeline? retries;

    public BatchRetryPolicy(ConsumerGroupOptions options, string group, ILogger logger)
    {
        var retryCount = Math.Max(1, options.Retry.MaxAttempts) - 1;
        if (options.DeadLetter.Enabled && retryCount == 0)
        {
            // One attempt: Polly's retry strategy needs at least one retry, so there is no pipeline at all.
            return;
        }

        retries = new ResiliencePipelineBuilder()
            .AddRetry(HandlerRetryPolicy.HandlerFailureRetries(options, args =>
            {
                var attempt = args.Context.Properties.GetValue(AttemptKey, null!);
                var records = attempt.Records.Span;
                var first = records[0];
                BatchingLog.Retrying(logger, args.Outcome.Exception!, first.Topic, first.Partition.Value, first.Offset.Value, records[^1].Offset.Value, records.Length, group, attempt.Number, args.RetryDelay.TotalMilliseconds);
                var tags = KafkaTypedMetrics.Tags(first.Topic, group);
                KafkaTypedMetrics.Failed.Add(records.Length, tags);
                KafkaTypedMetrics.Retried.Add(records.Length, tags);
                return attempt.Lane.EndAsync();
            }))
            .Build();
    }

    /// <summary>Runs the batch's attempts; throws the last failure once retries are exhausted (at once for a non-retryable one).</summary>
    public async ValueTask ExecuteAsync(BatchAttempt attempt, CancellationToken cancellationToken)
    {
        if (retries is null)
        {
            await attempt.RunAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AttemptKey, attempt);
        try
        {
            await retries.ExecuteAsync(static (ctx, a) => a.RunAsync(ctx.CancellationToken), context, attempt).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}

/// <summary>The attempts of one batch (or one half of a split batch).</summary>
/// <param name="dispatcher">The group's generated dispatcher.</param>
/// <param name="slot">The batch slot of the records' member type.</param>
/// <param name="records">The batch.</param>
/// <param name="lane">The lane's scope holder: the batch's scope under <see cref="HandlerScope.PerBatch"/>.</param>
/// <param name="scopePerAttempt">Under <see cref="HandlerScope.PerMessage"/>, the root provider: each attempt gets a scope of its own.</param>
internal sealed class BatchAttempt(ConsumerGroupDispatcher dispatcher, int slot, ReadOnlyMemory<ConsumeResult<byte[], byte[]>> records, LaneScope lane, IServiceProvider? scopePerAttempt)
{
    public ReadOnlyMemory<ConsumeResult<byte[], byte[]>> Records { get; } = records;

    public LaneScope Lane { get; } = lane;

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public int Number { get; private set; }

    public async ValueTask RunAsync(CancellationToken cancellationToken)
    {
        var number = ++Number;
        if (scopePerAttempt is null)
        {
            await dispatcher.DispatchBatchAsync(slot, Records, number, Lane.Services, cancellationToken).ConfigureAwait(false);
            return;
        }

        var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateAsyncScope(scopePerAttempt);
        await using (scope.ConfigureAwait(false))
        {
            await dispatcher.DispatchBatchAsync(slot, Records, number, scope.ServiceProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
