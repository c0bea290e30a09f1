using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace KafkaTyped.Embedded.SchemaRegistry;

/// <summary>
/// Serves HTTP on 127.0.0.1 with an <see cref="HttpListener"/>: the embedded registry's endpoint, and the CLI's control
/// endpoint of <c>kafkatyped dev</c>.
/// </summary>
internal static class LoopbackHttpListener
{
    /// <summary>Listens on <paramref name="port"/>, or on a free port when it is 0.</summary>
    /// <exception cref="HttpListenerException">The port is taken (or, for 0, ten borrowed ports in a row were).</exception>
    public static (HttpListener Listener, string Url) Start(int port)
    {
        // HttpListener cannot bind port 0: borrow a free port from the kernel, retrying if another process races us.
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port;
            if (chosen == 0)
            {
                using var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                chosen = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
            }

            var url = "http://127.0.0.1:" + chosen.ToString(CultureInfo.InvariantCulture);
            var listener = new HttpListener();
            listener.Prefixes.Add(url + "/");
            try
            {
                listener.Start();
                return (listener, url);
            }
            catch (HttpListenerException) when (port == 0 && attempt < 10)
            {
                listener.Close();
            }
            catch
            {
                listener.Close();
                throw;
            }
        }
    }

    /// <summary>
    /// Hands each request to <paramref name="handle"/> on the thread pool (requests run concurrently) until
    /// <paramref name="stopping"/> is cancelled or the listener is closed.
    /// </summary>
    public static async Task AcceptAsync(HttpListener listener, Func<HttpListenerContext, Task> handle, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => handle(context), CancellationToken.None);
        }
    }
}
