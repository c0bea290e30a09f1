using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KafkaTyped.Consuming;

/// <summary>
/// Consumer health. Liveness: every group's poll loop runs and returned from <c>Consume</c> within
/// <see cref="MaxPollSilence"/>. Readiness additionally requires that every group joined (received an assignment).
/// </summary>
internal sealed class ConsumerGroupHealthCheck : IHealthCheck
{
    private readonly ConsumerGroupMonitor monitor;
    private readonly bool readiness;

    /// <summary>Creates the check.</summary>
    /// <param name="monitor">The group statuses.</param>
    /// <param name="readiness">True for the readiness check, false for liveness.</param>
    public ConsumerGroupHealthCheck(ConsumerGroupMonitor monitor, bool readiness)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        this.monitor = monitor;
        this.readiness = readiness;
    }

    /// <summary>The longest time without a poll that is still healthy: 30 s (a revoke drain blocks polling up to its timeout).</summary>
    public static TimeSpan MaxPollSilence { get; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        string? problem = null;
        foreach (var group in monitor.Groups)
        {
            data[group.GroupId] = group.AssignedPartitions;
            if (group.Fault is { } fault)
            {
                problem ??= $"consumer group '{group.GroupId}' stopped: {fault.Message}";
            }
            else if (!group.IsRunning)
            {
                problem ??= $"consumer group '{group.GroupId}' is not running";
            }
            else if (group.SinceLastPoll > MaxPollSilence)
            {
                problem ??= $"consumer group '{group.GroupId}' has not polled for {group.SinceLastPoll.TotalSeconds:F0} s";
            }
            else if (readiness && !group.HasJoined)
            {
                problem ??= $"consumer group '{group.GroupId}' has not joined its group yet";
            }
        }

        return Task.FromResult(problem is null
            ? HealthCheckResult.Healthy(readiness ? "All consumer groups joined." : "All consumer groups poll.", data)
            : HealthCheckResult.Unhealthy(problem, data: data));
    }
}
