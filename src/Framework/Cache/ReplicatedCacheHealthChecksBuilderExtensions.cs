using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaTyped.Cache;

/// <summary>Health checks of the replicated caches.</summary>
public static class ReplicatedCacheHealthChecksBuilderExtensions
{
    /// <summary>Adds the readiness check <c>kafkatyped-caches-ready</c> (tag <c>ready</c>): every replicated cache caught up.</summary>
    public static IHealthChecksBuilder AddReplicatedCaches(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(new HealthCheckRegistration("kafkatyped-caches-ready", static sp => new ReplicatedCacheHealthCheck(sp.GetServices<IReplicatedCacheStatus>()), null, ["ready"]));
        return builder;
    }
}
