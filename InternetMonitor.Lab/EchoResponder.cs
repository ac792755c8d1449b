using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Probing.Icmp;

namespace InternetMonitor.Lab;

/// <summary>
/// Answers ICMP echo requests from user space, in a namespace whose kernel replies are switched off
/// (net.ipv4.icmp_echo_ignore_all, net.ipv6.icmp.echo_ignore_all): the way to put a known delay, jitter and
/// loss on a link without netem. One raw socket per address (a raw socket bound to an address sees only
/// what is sent to it), each request stamped by the kernel on arrival; one sender thread keeps every reply
/// until its due time, sleeping to just short of it and spinning the rest, so the delay is held to within
/// microseconds (see <see cref="Lateness"/>). Create it inside the namespace (<see cref="NamespaceThread"/>).
/// </summary>
public sealed class EchoResponder : IDisposable
{
    private static readonly long SpinTicks = TimeSpan.FromMilliseconds(1.5).Ticks;

    private readonly List<Listener> _listeners = [];
    private readonly PriorityQueue<PendingReply, long> _queue = new();
    private readonly ConcurrentDictionary<(IPAddress Source, IPAddress Destination), Tally> _tallies = new();
    private readonly List<long> _lateness = [];
    private readonly ConcurrentDictionary<IPAddress, List<long>> _held = new();
    private readonly Thread _sender;
    private volatile bool _stopped;
    private int _answered;

    /// <param name="profiles">The addresses to answer for (already on an interface of this namespace), each with its profile.</param>
    /// <param name="seed">Seeds the random delays and losses, so a run can be repeated exactly.</param>
    public EchoResponder(IReadOnlyDictionary<IPAddress, EchoProfile> profiles, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var index = 0;
        foreach (var (address, profile) in profiles)
        {
            _listeners.Add(new Listener(this, address, profile, new Random(seed + index++)));
        }

        _sender = new Thread(Send) { IsBackground = true, Name = "echo-sender" };
        _sender.Start();
        foreach (var listener in _listeners)
        {
            listener.Start();
        }
    }

    /// <summary>Answers echoes to one address after a fixed delay.</summary>
    public EchoResponder(IPAddress address, TimeSpan delay)
        : this(new Dictionary<IPAddress, EchoProfile> { [address] = new(delay) })
    {
    }

    /// <summary>Replies sent so far.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>How late each reply left after its due time (the responder's own error), in arrival order.</summary>
    public IReadOnlyList<TimeSpan> Lateness
    {
        get
        {
            lock (_lateness)
            {
                return [.. _lateness.Select(ticks => TimeSpan.FromTicks(ticks))];
            }
        }
    }

    /// <summary>
    /// How long each reply to <paramref name="destination"/> was really held, from the request's kernel arrival
    /// stamp to the moment the reply was handed to the kernel: the delay the lab applied, lateness included.
    /// </summary>
    public IReadOnlyList<TimeSpan> Held(IPAddress destination)
    {
        if (!_held.TryGetValue(destination, out var held))
        {
            return [];
        }

        lock (held)
        {
            return [.. held.Select(ticks => TimeSpan.FromTicks(ticks))];
        }
    }

    /// <summary>
    /// For echoes from <paramref name="source"/> to <paramref name="destination"/>, in arrival order: was each dropped?
    /// The truth that a loss figure is checked against.
    /// </summary>
    public IReadOnlyList<bool> Drops(IPAddress source, IPAddress destination) =>
        _tallies.TryGetValue((source, destination), out var tally) ? tally.Snapshot() : [];

    public void Dispose()
    {
        _stopped = true;
        lock (_queue)
        {
            Monitor.PulseAll(_queue);
        }

        foreach (var listener in _listeners)
        {
            listener.Join();
        }

        _sender.Join();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }
    }

    private void Schedule(PendingReply reply)
    {
        lock (_queue)
        {
            _queue.Enqueue(reply, reply.Due);
            Monitor.Pulse(_queue);
        }
    }

    private void Send()
    {
        while (!_stopped)
        {
            PendingReply reply;
            lock (_queue)
            {
                if (!_queue.TryPeek(out reply!, out var due))
                {
                    Monitor.Wait(_queue, 200);
                    continue;
                }

                var wait = due - KernelTimestamps.Now();
                if (wait > SpinTicks)
                {
                    // Woken early by a new reply that may be due sooner; the loop looks again.
                    Monitor.Wait(_queue, TimeSpan.FromTicks(wait - SpinTicks));
                    continue;
                }

                _queue.Dequeue();
            }

            while (KernelTimestamps.Now() < reply.Due)
            {
                Thread.SpinWait(10);
            }

            var sent = KernelTimestamps.Now(); // handed to the kernel now: the veth crossing is the link's, not the hold's
            try
            {
                reply.Socket.SendTo(reply.Packet, reply.To);
            }
            catch (SocketException)
            {
                continue; // the link was cut: the reply is lost, as it would be on a real link
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _answered);
            lock (_lateness)
            {
                _lateness.Add(sent - reply.Due);
            }

            var held = _held.GetOrAdd(reply.Destination, _ => []);
            lock (held)
            {
                held.Add(sent - reply.Arrived);
            }
        }
    }

    private sealed record PendingReply(Socket Socket, byte[] Packet, IPEndPoint To, IPAddress Destination, long Arrived, long Due);

    private sealed class Tally
    {
        private readonly List<bool> _drops = [];

        public void Add(bool dropped)
        {
            lock (_drops)
            {
                _drops.Add(dropped);
            }
        }

        public bool[] Snapshot()
        {
            lock (_drops)
            {
                return [.. _drops];
            }
        }
    }

    /// <summary>One address: its raw socket, its profile, its reader thread.</summary>
    private sealed class Listener : IDisposable
    {
        private readonly EchoResponder _owner;
        private readonly IPAddress _address;
        private readonly EchoProfile _profile;
        private readonly Random _random;
        private readonly Socket _socket;
        private readonly Thread _reader;
        private readonly bool _kernelStamps;

        public Listener(EchoResponder owner, IPAddress address, EchoProfile profile, Random random)
        {
            (_owner, _address, _profile, _random) = (owner, address, profile, random);
            var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            _socket = new Socket(address.AddressFamily, SocketType.Raw, v6 ? ProtocolType.IcmpV6 : ProtocolType.Icmp) { ReceiveTimeout = 200 };
            _socket.Bind(new IPEndPoint(address, 0));
            _kernelStamps = KernelTimestamps.Enable(_socket, transmit: false) != IcmpTimestamps.UserSpace;
            _reader = new Thread(Read) { IsBackground = true, Name = $"echo-{address}" };
        }

        public void Start() => _reader.Start();

        public void Join() => _reader.Join();

        public void Dispose() => _socket.Dispose();

        private void Read()
        {
            var buffer = new byte[65_536];
            var v6 = _address.AddressFamily == AddressFamily.InterNetworkV6;
            while (!_owner._stopped)
            {
                int received;
                IPAddress? from;
                long arrived;
                try
                {
                    if (_kernelStamps)
                    {
                        received = KernelTimestamps.Receive(_socket, buffer, out from, out arrived);
                    }
                    else
                    {
                        EndPoint any = new IPEndPoint(v6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
                        received = _socket.ReceiveFrom(buffer, ref any);
                        (from, arrived) = (((IPEndPoint)any).Address, KernelTimestamps.Now());
                    }
                }
                catch (SocketException)
                {
                    continue; // the receive timeout: look at the stop flag again
                }

                if (received <= 0 || from is null)
                {
                    continue;
                }

                // IPv4 raw sockets hand over the IP header; IPv6 ones start at the ICMP header.
                var offset = v6 ? 0 : (buffer[0] & 0x0F) * 4;
                if (received < offset + IcmpPacket.HeaderSize || buffer[offset] != (v6 ? 128 : 8))
                {
                    continue; // not an echo request (our own replies and neighbour discovery come by too)
                }

                var dropped = _random.NextDouble() < _profile.Loss;
                var offsetTicks = _profile.Jitter.Ticks == 0 ? 0 : (long)((_random.NextDouble() * 2 - 1) * _profile.Jitter.Ticks);
                _owner._tallies.GetOrAdd((from, _address), _ => new Tally()).Add(dropped);
                if (dropped)
                {
                    continue;
                }

                var reply = buffer.AsSpan(offset, received - offset).ToArray();
                reply[0] = (byte)(v6 ? 129 : 0);
                reply[2] = reply[3] = 0;
                if (!v6)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), IcmpPacket.Checksum(reply));
                }

                // The kernel fills in the ICMPv6 checksum on a raw ICMPv6 socket.
                _owner.Schedule(new PendingReply(_socket, reply, new IPEndPoint(from, 0), _address, arrived, arrived + _profile.Delay.Ticks + offsetTicks));
            }
        }
    }
}
