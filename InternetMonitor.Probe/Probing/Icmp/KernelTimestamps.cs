using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Receives with recvmsg(2) and kernel timestamps, as ping does: the kernel stamps each datagram when it arrives
/// (SO_TIMESTAMPING, or SO_TIMESTAMPNS where that is refused), and with SO_TIMESTAMPING also each packet it sends,
/// so the RTT holds neither the time our reader thread takes to wake up nor the time the sender takes to reach the
/// system call. Times are Unix times in 100 ns ticks (CLOCK_REALTIME), the clock the kernel stamps with. Only on
/// 64-bit Linux, where the structures' layout is fixed; elsewhere the probe stamps in user space.
/// </summary>
public static partial class KernelTimestamps
{
    private const int SolSocket = 1;
    private const int SoTimestampNs = 35; // also SCM_TIMESTAMPNS
    private const int SoTimestamping = 37; // also SCM_TIMESTAMPING
    private const int TimestampingTxSoftware = 1 << 1;
    private const int TimestampingRxSoftware = 1 << 3;
    private const int TimestampingSoftware = 1 << 4;
    private const int MessageDontWait = 0x40;
    private const int MessageErrorQueue = 0x2000;
    private const int AddressFamilyInet = 2;
    private const int AddressFamilyInet6 = 10;
    private const int ErrorAgain = 11;
    private const int ErrorInterrupted = 4;
    private const short PollIn = 1;
    private const short PollError = 8;

    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Now on CLOCK_REALTIME, in 100 ns ticks since the Unix epoch.</summary>
    public static long Now() => DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;

    /// <summary>
    /// Asks the kernel to stamp the datagrams the socket receives and, with <paramref name="transmit"/>, the packets it
    /// sends; says which it agreed to (the caller stamps the rest itself). A socket that asks for transmit stamps must
    /// read them (<see cref="Wait"/>, <see cref="ReceiveTransmitted"/>): they fill its receive buffer otherwise.
    /// </summary>
    public static IcmpTimestamps Enable(Socket socket, bool transmit)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!Supported)
        {
            return IcmpTimestamps.UserSpace;
        }

        if (transmit)
        {
            try
            {
                socket.SetRawSocketOption(SolSocket, SoTimestamping, BitConverter.GetBytes(TimestampingTxSoftware | TimestampingRxSoftware | TimestampingSoftware));
                return IcmpTimestamps.Kernel;
            }
            catch (SocketException)
            {
            }
        }

        try
        {
            socket.SetRawSocketOption(SolSocket, SoTimestampNs, BitConverter.GetBytes(1));
            return IcmpTimestamps.KernelArrival;
        }
        catch (SocketException)
        {
            return IcmpTimestamps.UserSpace;
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> milliseconds for a datagram or a transmit stamp: (readable, stamps waiting).
    /// Both false when the time passed or the wait was interrupted.
    /// </summary>
    public static unsafe (bool Readable, bool Stamped) Wait(Socket socket, int timeout)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var descriptor = new PollDescriptor { Descriptor = (int)socket.SafeHandle.DangerousGetHandle(), Events = PollIn };
        var ready = Poll(&descriptor, 1, timeout);
        if (ready < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == ErrorInterrupted ? (false, false) : throw new SocketException(error);
        }

        return ((descriptor.ReturnedEvents & PollIn) != 0, (descriptor.ReturnedEvents & PollError) != 0);
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>. Returns its length, or -1 when the socket's receive
    /// timeout passed or the call was interrupted; throws <see cref="SocketException"/> for other errors.
    /// </summary>
    public static unsafe int Receive(Socket socket, Span<byte> buffer, out IPAddress? from, out long timestamp)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var name = stackalloc byte[128];
        var received = ReceiveWithControl(socket, buffer, name, 0, out timestamp, out _);
        from = received < 0 ? null : ReadAddress(name);
        return received;
    }

    /// <summary>
    /// Reads one transmit stamp from the socket's error queue without waiting: the packet as it was sent (from its
    /// link-layer header on) into <paramref name="buffer"/>, and when it left. Returns its length, or -1 when none waits.
    /// </summary>
    public static unsafe int ReceiveTransmitted(Socket socket, Span<byte> buffer, out long timestamp)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var name = stackalloc byte[128];
        var received = ReceiveWithControl(socket, buffer, name, MessageErrorQueue | MessageDontWait, out timestamp, out var stamped);
        return received >= 0 && !stamped ? 0 : received;
    }

    private static unsafe int ReceiveWithControl(Socket socket, Span<byte> buffer, byte* name, int flags, out long timestamp, out bool stamped)
    {
        timestamp = 0;
        stamped = false;
        var control = stackalloc byte[256];
        fixed (byte* data = buffer)
        {
            var vector = new IoVector { Base = data, Length = (nuint)buffer.Length };
            var header = new MessageHeader
            {
                Name = name,
                NameLength = 128,
                Vectors = &vector,
                VectorCount = 1,
                Control = control,
                ControlLength = 256,
            };

            var received = ReceiveMessage(socket.SafeHandle.DangerousGetHandle(), &header, flags);
            var now = Now();
            if (received < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error is ErrorAgain or ErrorInterrupted)
                {
                    return -1;
                }

                throw new SocketException(error);
            }

            var kernel = ReadTimestamp(control, (int)header.ControlLength);
            stamped = kernel is not null;
            timestamp = kernel ?? now;
            return (int)received;
        }
    }

    private static unsafe long? ReadTimestamp(byte* control, int length)
    {
        // struct cmsghdr { size_t len; int level; int type; } then the data, aligned to size_t (16 bytes in all on LP64).
        // SCM_TIMESTAMPNS carries one struct timespec, SCM_TIMESTAMPING three (software, deprecated, hardware): the first.
        var offset = 0;
        while (offset + 16 <= length)
        {
            var itemLength = (int)*(ulong*)(control + offset);
            var level = *(int*)(control + offset + 8);
            var type = *(int*)(control + offset + 12);
            if (itemLength < 16)
            {
                return null;
            }

            if (level == SolSocket && type is SoTimestampNs or SoTimestamping && itemLength >= 32)
            {
                var seconds = *(long*)(control + offset + 16);
                var nanoseconds = *(long*)(control + offset + 24);
                if (seconds != 0 || nanoseconds != 0)
                {
                    return (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
                }
            }

            offset += (itemLength + 7) & ~7;
        }

        return null;
    }

    private static unsafe IPAddress? ReadAddress(byte* name)
    {
        var family = *(ushort*)name;
        return family switch
        {
            AddressFamilyInet => new IPAddress(new ReadOnlySpan<byte>(name + 4, 4)),
            AddressFamilyInet6 => new IPAddress(new ReadOnlySpan<byte>(name + 8, 16), *(uint*)(name + 24)),
            _ => null,
        };
    }

    [LibraryImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial nint ReceiveMessage(nint socket, MessageHeader* message, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial int Poll(PollDescriptor* descriptors, nuint count, int timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }
}
