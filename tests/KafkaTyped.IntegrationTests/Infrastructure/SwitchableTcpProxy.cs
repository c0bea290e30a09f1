using System.Net;
using System.Net.Sockets;

namespace KafkaTyped.IntegrationTests.Infrastructure;

/// <summary>
/// A TCP forwarder on 127.0.0.1 that can be switched off (listener closed, open connections reset, so clients get
/// "connection refused") and on again at the same port: a service outage as its clients see it.
/// </summary>
public sealed class SwitchableTcpProxy : IDisposable
{
    private readonly string upstreamHost;
    private readonly int upstreamPort;
    private readonly object gate = new();
    private readonly List<TcpClient> connections = new();
    private TcpListener? listener;
    private CancellationTokenSource? running;

    /// <summary>Starts forwarding from a free local port to <paramref name="upstream"/> (an http://host:port URL).</summary>
    public SwitchableTcpProxy(string upstream)
    {
        var uri = new Uri(upstream);
        upstreamHost = uri.Host;
        upstreamPort = uri.Port;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Start();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Connections accepted so far (to check that clients really went through the proxy).</summary>
    public int Accepted { get; private set; }

    public bool IsUp
    {
        get
        {
            lock (gate)
            {
                return listener is not null;
            }
        }
    }

    public void Start()
    {
        lock (gate)
        {
            if (listener is not null)
            {
                return;
            }

            var next = new TcpListener(IPAddress.Loopback, Port);
            next.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            next.Start();
            listener = next;
            running = new CancellationTokenSource();
            _ = AcceptLoopAsync(next, running.Token);
        }
    }

    /// <summary>Closes the listener and resets every open connection.</summary>
    public void Stop()
    {
        lock (gate)
        {
            if (listener is null)
            {
                return;
            }

            running!.Cancel();
            running.Dispose();
            running = null;
            listener.Stop();
            listener = null;
            foreach (var connection in connections)
            {
                try
                {
                    connection.Client.LingerState = new LingerOption(true, 0); // RST, not a graceful close
                }
                catch (SocketException)
                {
                    // Not connected yet: disposing is enough.
                }

                connection.Dispose();
            }

            connections.Clear();
        }
    }

    public void Dispose() => Stop();

    private async Task AcceptLoopAsync(TcpListener current, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await current.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            var upstream = new TcpClient();
            lock (gate)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    client.Dispose();
                    upstream.Dispose();
                    return;
                }

                Accepted++;
                connections.Add(client);
                connections.Add(upstream);
            }

            _ = ForwardAsync(client, upstream, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, TcpClient upstream, CancellationToken cancellationToken)
    {
        try
        {
            await upstream.ConnectAsync(upstreamHost, upstreamPort, cancellationToken);
            var downstreamStream = client.GetStream();
            var upstreamStream = upstream.GetStream();
            await Task.WhenAny(downstreamStream.CopyToAsync(upstreamStream, cancellationToken), upstreamStream.CopyToAsync(downstreamStream, cancellationToken));
        }
        catch (Exception)
        {
            // A reset or a switch-off ends the connection; the client sees it as a network error.
        }
        finally
        {
            lock (gate)
            {
                connections.Remove(client);
                connections.Remove(upstream);
            }

            client.Dispose();
            upstream.Dispose();
        }
    }
}
