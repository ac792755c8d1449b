using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Lab;

/// <summary>
/// An HttpClient whose connections are made inside a lab namespace (each socket created on a thread that
/// entered it), so this process can talk to servers listening on a namespace's loopback without curl.
/// </summary>
public static class NamespaceHttpClient
{
    /// <param name="network">Where its sockets are made; null: this process's own namespace.</param>
    /// <param name="timeout">The client's timeout.</param>
    /// <param name="receiveBuffer">A fixed receive buffer (no autotuning): a client that takes that much at a time, to read slowly.</param>
    /// <param name="from">The address its sockets are bound to (a client at that address rather than the kernel's choice).</param>
    public static HttpClient Create(NetworkNamespace? network, TimeSpan timeout, int? receiveBuffer = null, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = network is null ? NewSocket() : NamespaceThread.Run(network, NewSocket);
                try
                {
                    if (receiveBuffer is { } size)
                    {
                        socket.ReceiveBufferSize = size;
                    }

                    if (from is not null)
                    {
                        socket.Bind(new IPEndPoint(from, 0));
                    }

                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
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

    private static Socket NewSocket() => new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
}
