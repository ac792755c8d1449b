using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Probing.Icmp;

namespace InternetMonitor.Tests.Support.Lab;

/// <summary>
/// Answers ICMPv4 echo requests from user space after a set delay, in a namespace whose kernel replies are
/// switched off (net.ipv4.icmp_echo_ignore_all=1): a way to put a known delay on a link without netem.
/// Create it inside the namespace (<see cref="NamespaceThread"/>).
/// </summary>
public sealed class EchoResponder : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
    private readonly TimeSpan _delay;
    private readonly Thread _reader;
    private volatile bool _stopped;
    private int _answered;

    public EchoResponder(TimeSpan delay)
    {
        _delay = delay;
        _socket.ReceiveTimeout = 200;
        _socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        _reader = new Thread(Serve) { IsBackground = true, Name = "echo-responder" };
        _reader.Start();
    }

    public int Answered => Volatile.Read(ref _answered);

    public void Dispose()
    {
        _stopped = true;
        _reader.Join();
        _socket.Dispose();
    }

    private void Serve()
    {
        var buffer = new byte[65_536];
        while (!_stopped)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }

            var headerLength = (buffer[0] & 0x0F) * 4;
            if (received < headerLength + IcmpPacket.HeaderSize || buffer[headerLength] != 8)
            {
                continue; // not an echo request (our own replies come by too)
            }

            var reply = buffer.AsSpan(headerLength, received - headerLength).ToArray();
            reply[0] = 0;
            reply[2] = reply[3] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), IcmpPacket.Checksum(reply));
            var destination = ((IPEndPoint)from).Address;
            var due = Stopwatch.GetTimestamp() + (long)(_delay.TotalSeconds * Stopwatch.Frequency);
            _ = Task.Run(async () =>
            {
                // Timers are millisecond-coarse and may fire early: sleep to just short of the deadline, then spin.
                var sleep = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due) - TimeSpan.FromMilliseconds(3);
                if (sleep > TimeSpan.Zero)
                {
                    await Task.Delay(sleep);
                }

                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.SpinWait(20);
                }

                if (!_stopped)
                {
                    _socket.SendTo(reply, new IPEndPoint(destination, 0));
                    Interlocked.Increment(ref _answered);
                }
            });
        }
    }
}
