using Microsoft.Extensions.DependencyInjection;

namespace KafkaTyped.Consuming;

/// <summary>
/// The DI scope of one partition lane under <see cref="HandlerScope.PerBatch"/>: created on first use, shared by the
/// messages the lane handles back to back, ended when the batch ends or an attempt fails. Under the other modes it only
/// hands out the root provider (<see cref="HandlerScope.PerMessage"/> scopes are the processor's business).
/// </summary>
/// <remarks>Used by the lane's one task only, so it needs no locking.</remarks>
internal sealed class LaneScope(IServiceProvider root, HandlerScope mode) : IAsyncDisposable
{
    private AsyncServiceScope? scope;

    /// <summary>The provider to dispatch the lane's current message with.</summary>
    public IServiceProvider Services
    {
        get
        {
            if (mode != HandlerScope.PerBatch)
            {
                return root;
            }

            scope ??= root.CreateAsyncScope();
            return scope.Value.ServiceProvider;
        }
    }

    /// <summary>Ends the current scope (if any); the next <see cref="Services"/> starts a fresh one.</summary>
    public ValueTask EndAsync()
    {
        if (scope is not { } current)
        {
            return default;
        }

        scope = null;
        return current.DisposeAsync();
    }

    public ValueTask DisposeAsync() => EndAsync();
}
