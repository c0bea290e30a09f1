using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaTyped.Consuming;

/// <summary>
/// The DI scope of one partition lane under <see cref="HandlerScope.PerBatch"/>: created on first use, shared by the
/// messages the lane handles back to back, ended when the batch ends or an attempt fails. Under the other modes it only
/// hands out the root provider (<see cref="HandlerScope.PerMessage"/> scopes are the processor's business).
/// </summary>
/// <remarks>Used by the lane's one task only, so it needs no locking.</remarks>
/// <param name="root">The application's provider.</param>
/// <param name="mode">The group's handler scope.</param>
/// <param name="group">The group named in logs.</param>
/// <param name="logger">The logger.</param>
/// <param name="cache">Remembers what a <see cref="HandlerScope.PerBatch"/> scope resolves (its handlers), or null to ask the scope every time.</param>
internal sealed class LaneScope(IServiceProvider root, HandlerScope mode, string group, ILogger logger, ScopedServiceCache? cache = null) : IAsyncDisposable
{
    private AsyncServiceScope? scope;
    private IServiceProvider? services;

    /// <summary>The provider to dispatch the lane's current message with.</summary>
    public IServiceProvider Services
    {
        get
        {
            if (mode != HandlerScope.PerBatch)
            {
                return root;
            }

            if (services is null)
            {
                var created = root.CreateAsyncScope();
                scope = created;
                services = cache is null ? created.ServiceProvider : cache.Over(created.ServiceProvider);
            }

            return services;
        }
    }

    /// <summary>Ends the current scope (if any); the next <see cref="Services"/> starts a fresh one.</summary>
    /// <remarks>
    /// A scoped service that throws while being disposed is logged, not rethrown: the records of the batch are already
    /// handled, and the lane must go on (an exception here would stop the partition).
    /// </remarks>
    public ValueTask EndAsync()
    {
        if (scope is not { } current)
        {
            return default;
        }

        scope = null;
        services = null;
        cache?.Clear();
        try
        {
            var disposal = current.DisposeAsync();
            return disposal.IsCompletedSuccessfully ? default : AwaitDisposalAsync(disposal);
        }
        catch (Exception exception)
        {
            ConsumingLog.ScopeDisposeFailed(logger, exception, group);
            return default;
        }
    }

    public ValueTask DisposeAsync() => EndAsync();

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
}
