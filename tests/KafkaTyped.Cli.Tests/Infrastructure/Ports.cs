using System.Net;
using System.Net.Sockets;

namespace KafkaTyped.Cli.Tests.Infrastructure;

public static class Ports
{
    /// <summary>A port of 127.0.0.1 that nothing listens on right now (the kernel's pick, released at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
