using System.Net;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Counts the open connections of remote and loopback clients apart, each up to its own limit, and refuses one over
/// it: the web server's own limit counts every client together, so a flood from the network would shut loopback out.
/// </summary>
public sealed class ConnectionGate(int remoteLimit, int loopbackLimit)
{
    private readonly int[] _limits = [remoteLimit, loopbackLimit];
    private readonly int[] _open = new int[2];
    private readonly int[] _accepted = new int[2]; // accepted by the listener, not yet through the gate's middleware
    private readonly long[] _refused = new long[2];

    public int Limit(ConnectionClient client) => _limits[(int)client];

    public int Open(ConnectionClient client) => Volatile.Read(ref _open[(int)client]);

    public long Refused(ConnectionClient client) => Interlocked.Read(ref _refused[(int)client]);

    /// <summary>Counts a new connection in, or counts it refused when its kind is at its limit.</summary>
    public bool TryOpen(ConnectionClient client)
    {
        var index = (int)client;
        while (true)
        {
            var open = Volatile.Read(ref _open[index]);
            if (open >= _limits[index])
            {
                Interlocked.Increment(ref _refused[index]);
                return false;
            }

            if (Interlocked.CompareExchange(ref _open[index], open + 1, open) == open)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// At accept, before the connection is queued for the middleware: false (counted refused) when its kind's open and
    /// queued connections already reach its limit, so that a flood cannot pile up accepted sockets faster than the
    /// middleware closes them. A connection let through is counted queued until <see cref="Dequeued"/>.
    /// </summary>
    public bool TryAccept(ConnectionClient client)
    {
        var index = (int)client;
        if (Volatile.Read(ref _open[index]) + Interlocked.Increment(ref _accepted[index]) > _limits[index])
        {
            Interlocked.Decrement(ref _accepted[index]);
            Interlocked.Increment(ref _refused[index]);
            return false;
        }

        return true;
    }

    /// <summary>A connection <see cref="TryAccept"/> let through has reached the middleware.</summary>
    public void Dequeued(ConnectionClient client) => Interlocked.Decrement(ref _accepted[(int)client]);

    /// <summary>Counts out a connection that <see cref="TryOpen"/> let in.</summary>
    public void Close(ConnectionClient client) => Interlocked.Decrement(ref _open[(int)client]);

    /// <summary>Loopback for 127.0.0.0/8, ::1 (IPv4-mapped too) and anything that is not an IP endpoint (a Unix socket); remote otherwise.</summary>
    public static ConnectionClient Classify(EndPoint? remote) => remote switch
    {
        IPEndPoint { Address: var address } when !IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address) => ConnectionClient.Remote,
        _ => ConnectionClient.Loopback,
    };
}
