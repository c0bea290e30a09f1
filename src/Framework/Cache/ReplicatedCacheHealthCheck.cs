using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaTyped.Cache;

/// <summary>Ready when every replicated cache of the application caught up with its topic.</summary>
internal sealed class ReplicatedCacheHealthCheck(IEnumerable<IReplicatedCacheStatus> caches) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = caches.Where(static c => !c.IsReady).Select(static c => c.Topic).ToList();
        return Task.FromResult(behind.Count == 0
            ? HealthCheckResult.Healthy("Every replicated cache is up to date.")
            : HealthCheckResult.Unhealthy($"Replicated caches still loading: {string.Join(", ", behind)}."));
    }
}
