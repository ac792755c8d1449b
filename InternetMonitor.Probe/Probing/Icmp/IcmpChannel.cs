using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// One ICMP socket for one address family, and the thread that reads it. Sends and arrivals are stamped by the
/// kernel (SO_TIMESTAMPING) where it can: a send when the packet leaves for the device, read back from the
/// socket's error queue. Where it cannot, a send is stamped just before the system call and an arrival just after
/// the receive on a thread that does nothing else, so the RTT holds as little of our own scheduling as possible.
/// </summary>
public sealed class IcmpChannel : IDisposable
{
    private static readonly TimeSpan ReceivePoll = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly Action<IcmpReceipt> _onReceipt;
    private readonly Action<IcmpTransmit> _onTransmit;
    private readonly Thread _reader;
    private readonly EndPoint _anyEndpoint;
    private readonly bool _withIpHeader;
    private readonly IcmpTimestamps _timestamps;
    private readonly ConcurrentDictionary<IPAddress, SocketAddress> _addresses = new();
    private volatile bool _disposed;

    private IcmpChannel(Socket socket, AddressFamily family, IcmpSocketKind kind, Action<IcmpReceipt> onReceipt, Action<IcmpTransmit> onTransmit)
    {
        _socket = socket;
        _onReceipt = onReceipt;
        _onTransmit = onTransmit;
        Family = family;
        Kind = kind;
        _anyEndpoint = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _withIpHeader = kind == IcmpSocketKind.Raw && family == AddressFamily.InterNetwork;
        _timestamps = KernelTimestamps.Enable(_socket, transmit: true);

        if (kind == IcmpSocketKind.Datagram)
        {
            // The kernel owns the identifier of a ping socket: it is the "port" just bound, and it
            // delivers to this socket only the replies that carry it.
            Identifier = (ushort)((IPEndPoint)_socket.LocalEndPoint!).Port;
        }
        else
        {
            // A raw socket sees every ICMP message of the host: a random identifier tells ours apart,
            // also from other channels of this process.
            Identifier = (ushort)RandomNumberGenerator.GetInt32(1, ushort.MaxValue);
        }

        _reader = new Thread(ReadLoop) { IsBackground = true, Name = $"icmp-{family}-reader", Priority = ThreadPriority.AboveNormal };
        _reader.Start();
    }

    public AddressFamily Family { get; }

    public IcmpSocketKind Kind { get; }

    public ushort Identifier { get; }

    /// <summary>Who stamps sends and arrivals: the kernel, or the probe's own threads.</summary>
    public IcmpTimestamps Timestamps => _timestamps;

    /// <summary>
    /// Opens a channel of the preferred kind; Auto tries raw, then datagram. Replies go to <paramref name="onReceipt"/>,
    /// the kernel's transmit stamps to <paramref name="onTransmit"/>, both on the reader thread, a stamp before its reply.
    /// </summary>
    /// <exception cref="IcmpUnavailableException">Neither kind may be opened by this process.</exception>
    public static IcmpChannel Open(AddressFamily family, IcmpSocketKind preferred, Action<IcmpReceipt> onReceipt, Action<IcmpTransmit> onTransmit)
    {
        var protocol = family == AddressFamily.InterNetworkV6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp;
        var attempts = preferred == IcmpSocketKind.Auto ? [IcmpSocketKind.Raw, IcmpSocketKind.Datagram] : new[] { preferred };
        var failures = new List<string>();
        foreach (var kind in attempts)
        {
            try
            {
#pragma warning disable CA2000 // The channel owns the socket from here and disposes it in Dispose.
                return new IcmpChannel(CreateSocket(family, kind, protocol), family, kind, onReceipt, onTransmit);
#pragma warning restore CA2000
            }
            catch (SocketException exception)
            {
                failures.Add($"{(kind == IcmpSocketKind.Raw ? "raw" : "datagram")}: {exception.SocketErrorCode}");
            }
        }

        throw new IcmpUnavailableException(
            $"cannot open an ICMP socket for {Describe(family)} ({string.Join(", ", failures)}). Raw sockets need root or "
            + "CAP_NET_RAW (setcap cap_net_raw+ep, or the container capability NET_RAW); unprivileged ICMP sockets need the "
            + $"process's group inside net.ipv4.ping_group_range (now '{PingGroupRange()}'; for example "
            + "sysctl -w net.ipv4.ping_group_range=\"0 2147483647\").");
    }

    private static Socket CreateSocket(AddressFamily family, IcmpSocketKind kind, ProtocolType protocol)
    {
        var socket = new Socket(family, kind == IcmpSocketKind.Raw ? SocketType.Raw : SocketType.Dgram, protocol);
        try
        {
            // Polled, so that the reader notices disposal; and large, so that a burst of replies is not dropped.
            socket.ReceiveTimeout = (int)ReceivePoll.TotalMilliseconds;
            socket.ReceiveBufferSize = 1 << 20;
            socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one echo request. Everything is prepared first; then <paramref name="stamped"/> receives the send
    /// times just before the system call, so the RTT holds no packet building. Where the kernel stamps sends, its
    /// stamp follows on the reader thread and takes the place of the wall-clock one.
    /// </summary>
    /// <exception cref="SocketException">The kernel refused the send (no route, permission, ...).</exception>
    public void SendEcho(IPAddress destination, ushort sequence, int payloadSize, Action<IcmpSendStamp> stamped)
    {
        ArgumentNullException.ThrowIfNull(stamped);
        var packet = payloadSize <= 1024 ? stackalloc byte[IcmpPacket.HeaderSize + payloadSize] : new byte[IcmpPacket.HeaderSize + payloadSize];
        var length = IcmpPacket.WriteEchoRequest(packet, Family, Identifier, sequence, payloadSize);
        var address = _addresses.GetOrAdd(destination, static target => new IPEndPoint(target, 0).Serialize());
        stamped(IcmpSendStamp.Now());
        _socket.SendTo(packet[..length], SocketFlags.None, address);
    }

    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
        if (Thread.CurrentThread != _reader)
        {
            _reader.Join(ReceivePoll * 4);
        }
    }

    private void ReadLoop()
    {
        var buffer = new byte[65_536];
        while (!_disposed)
        {
            int received;
            IPAddress? from;
            long timestamp;
            try
            {
                if (_timestamps == IcmpTimestamps.Kernel && !WaitAndReadTransmitted(buffer))
                {
                    continue;
                }

                received = Receive(buffer, out from, out timestamp);
            }
            catch (SocketException) when (_disposed)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error the kernel reports on a ping socket (host unreachable): the echo it
                // concerns times out and is counted as lost.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (received < 0 || from is null
                || !IcmpPacket.TryParse(buffer.AsSpan(0, received), Family, _withIpHeader, out var message))
            {
                continue;
            }

            if (Kind == IcmpSocketKind.Raw && message.Identifier != Identifier)
            {
                continue;
            }

            _onReceipt(new IcmpReceipt(from, message, timestamp, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>
    /// Waits for a reply or a transmit stamp and hands every stamp waiting to <see cref="_onTransmit"/>; true when a
    /// reply waits too. The error queue is drained first, so an echo's stamp is known before its reply is read, and
    /// always, because its entries count against the receive buffer: left there, they would crowd out the replies.
    /// </summary>
    private bool WaitAndReadTransmitted(byte[] buffer)
    {
        var (readable, stamped) = KernelTimestamps.Wait(_socket, (int)ReceivePoll.TotalMilliseconds);
        if (!stamped)
        {
            return readable;
        }

        var drained = 0;
        int length;
        while ((length = KernelTimestamps.ReceiveTransmitted(_socket, buffer, out var timestamp)) >= 0)
        {
            drained++;
            if (IcmpPacket.TryParseTransmitted(buffer.AsSpan(0, length), Family, out var destination, out var identifier, out var sequence)
                && identifier == Identifier && destination is not null)
            {
                _onTransmit(new IcmpTransmit(destination, sequence, timestamp));
            }
        }

        // An empty error queue with the error flag up is an ICMP error the kernel holds for a ping socket: the
        // receive reports (and clears) it, or the wait would return at once forever.
        return readable || drained == 0;
    }

    /// <summary>One datagram, or -1 when the poll timeout passed; the timestamp is the kernel's when it gives one.</summary>
    private int Receive(byte[] buffer, out IPAddress? from, out long timestamp)
    {
        if (_timestamps != IcmpTimestamps.UserSpace)
        {
            return KernelTimestamps.Receive(_socket, buffer, out from, out timestamp);
        }

        EndPoint endpoint = _anyEndpoint;
        try
        {
            var received = _socket.ReceiveFrom(buffer, SocketFlags.None, ref endpoint);
            timestamp = KernelTimestamps.Now();
            from = ((IPEndPoint)endpoint).Address;
            return received;
        }
        catch (SocketException exception) when (exception.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
        {
            timestamp = 0;
            from = null;
            return -1;
        }
    }

    private static string Describe(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static string PingGroupRange()
    {
        try
        {
            return File.ReadAllText("/proc/sys/net/ipv4/ping_group_range").Trim().Replace('\t', ' ');
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
