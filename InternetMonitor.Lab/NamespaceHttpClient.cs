using System.Net.Sockets;

namespace InternetMonitor.Lab;

/// <summary>
/// An HttpClient whose connections are made inside a lab namespace (each socket created on a thread that
/// entered it), so this process can talk to servers listening on a namespace's loopback without curl.
/// </summary>
public static class NamespaceHttpClient
{
    public static HttpClient Create(NetworkNamespace network, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(network);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = NamespaceThread.Run(network, () => new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true });
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
