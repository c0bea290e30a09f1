using System.Net;
using System.Net.Sockets;

namespace KafkaTyped.Cli.Dev;

/// <summary>
/// Listens on a fixed port of 127.0.0.1 and relays each connection to one embedded broker (whose own port the kernel
/// chose). The mock cluster cannot listen on a port of our choosing, so <c>kafkatyped dev --port</c> gives a stable
/// bootstrap list this way; brokers still advertise their own ports, which clients on this machine reach directly.
/// </summary>
internal sealed class PortForwarder : IDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stopping = new();

    private PortForwarder(TcpListener listener, IPEndPoint target)
    {
        this.listener = listener;
        this.target = target;
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <exception cref="CliException">The port is taken.</exception>
    public static PortForwarder Start(int port, IPEndPoint target)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new CliException($"Port {port} on 127.0.0.1 cannot be used: {e.Message}", ExitCodes.Unavailable, e);
        }

        return new PortForwarder(listener, target);
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(target, stopping.Token).ConfigureAwait(false);
                var fromClient = client.GetStream().CopyToAsync(upstream.GetStream(), stopping.Token);
                var toClient = upstream.GetStream().CopyToAsync(client.GetStream(), stopping.Token);
                await Task.WhenAny(fromClient, toClient).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side closed or the forwarder stops: both connections close with it.
            }
        }
    }
}
