using System.Net;
using KafkaTyped.Embedded.SchemaRegistry;

namespace KafkaTyped.Cli.Adapters;

/// <summary>The embedded registry's way of listening on 127.0.0.1, reused for the control endpoint of <c>kafkatyped dev</c>.</summary>
internal static class LoopbackEndpoint
{
    /// <summary>Listens on <paramref name="port"/>, or on a free port when it is 0.</summary>
    /// <exception cref="HttpListenerException">The port is taken.</exception>
    public static (HttpListener Listener, string Url) Listen(int port) => LoopbackHttpListener.Start(port);

    /// <summary>Hands each request to <paramref name="handle"/> until <paramref name="stopping"/> is cancelled or the listener closes.</summary>
    public static Task AcceptAsync(HttpListener listener, Func<HttpListenerContext, Task> handle, CancellationToken stopping) =>
        LoopbackHttpListener.AcceptAsync(listener, handle, stopping);
}
