using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Tests.Hosting;

/// <summary>
/// Many clients that send a request's headers a byte a second and never finish, each replaced as soon as the server
/// drops it: a slowloris flood. Runs on the calling thread (one inside a lab namespace) until cancelled.
/// </summary>
internal static class SlowClients
{
    private static readonly byte[] Start = "GET / HTTP/1.1\r\nHost: probe\r\nX-Slow: "u8.ToArray();

    /// <summary>Keeps <paramref name="count"/> connections from <paramref name="from"/> to <paramref name="server"/>; returns the connections made.</summary>
    public static long Run(IPAddress from, IPEndPoint server, int count, CancellationToken cancellationToken)
    {
        var sockets = new Socket?[count];
        var sent = new int[count];
        long made = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                for (var i = 0; i < count; i++)
                {
                    var socket = sockets[i];
                    if (socket is not null && (socket.Poll(0, SelectMode.SelectError) || (socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)))
                    {
                        socket.Dispose();
                        socket = sockets[i] = null;
                    }

                    if (socket is null)
                    {
                        sockets[i] = Connect(from, server);
                        sent[i] = 0;
                        made++;
                    }
                    else if (socket.Poll(0, SelectMode.SelectWrite))
                    {
                        try
                        {
                            socket.Send([sent[i] < Start.Length ? Start[sent[i]] : (byte)'a'], SocketFlags.None);
                            sent[i]++;
                        }
                        catch (SocketException)
                        {
                            socket.Dispose();
                            sockets[i] = null;
                        }
                    }
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)); // the pace of the flood: a byte a second
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }

        return made;
    }

    private static Socket Connect(IPAddress from, IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        socket.Bind(new IPEndPoint(from, 0));
        try
        {
            socket.Connect(server);
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            // Completes in the background; the next round sees whether it did.
        }

        return socket;
    }
}
