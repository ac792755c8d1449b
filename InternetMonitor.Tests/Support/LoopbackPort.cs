using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Tests.Support;

public static class LoopbackPort
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on now (a server started on it may still race another).</summary>
    public static int FreeTcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
