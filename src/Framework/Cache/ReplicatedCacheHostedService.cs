using KafkaTyped.Hosting;
using Microsoft.Extensions.Hosting;

namespace KafkaTyped.Cache;

/// <summary>
/// Creates a cache's topic (compacted, on real clusters when <see cref="KafkaTypedOptions.CreateTopics"/> is on) and
/// starts its replica when the host starts. Start-up does not wait for the replica to catch up: the readiness health
/// check (<c>kafkatyped-caches-ready</c>) and <c>WaitUntilReadyAsync</c> report that.
/// </summary>
internal sealed class ReplicatedCacheHostedService<TCache, TKey, TValue>(TCache cache, TopicProvisioner topics) : IHostedService
    where TCache : ReplicatedCache<TKey, TValue>
    where TKey : notnull
    where TValue : class, Google.Protobuf.IMessage<TValue>, new()
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await topics.EnsureAsync([cache.OperationSet], deadLetterSuffix: null, cancellationToken).ConfigureAwait(false);
        await cache.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    // The replica stops when the container disposes the cache, after every other hosted service stopped using it.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
