using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Receives with recvmsg(2) and SO_TIMESTAMPNS, as ping does: the kernel stamps each datagram when it
/// arrives, so the RTT does not include the time our reader thread takes to wake up. Times are Unix
/// times in 100 ns ticks (CLOCK_REALTIME), the clock the kernel stamps with; the send side reads the same clock.
/// Only on 64-bit Linux, where the structures' layout is fixed; elsewhere the reader stamps in user space.
/// </summary>
public static partial class KernelTimestamps
{
    private const int SolSocket = 1;
    private const int SoTimestampNs = 35; // also SCM_TIMESTAMPNS
    private const int AddressFamilyInet = 2;
    private const int AddressFamilyInet6 = 10;
    private const int ErrorAgain = 11;
    private const int ErrorInterrupted = 4;

    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>Now on CLOCK_REALTIME, in 100 ns ticks since the Unix epoch.</summary>
    public static long Now() => DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;

    /// <summary>Asks the kernel to stamp received datagrams; false if it refuses (the caller stamps itself).</summary>
    public static bool Enable(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (!Supported)
        {
            return false;
        }

        try
        {
            socket.SetRawSocketOption(SolSocket, SoTimestampNs, BitConverter.GetBytes(1));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/>. Returns its length, or -1 when the socket's receive
    /// timeout passed or the call was interrupted; throws <see cref="SocketException"/> for other errors.
    /// </summary>
    public static unsafe int Receive(Socket socket, Span<byte> buffer, out IPAddress? from, out long timestamp)
    {
        ArgumentNullException.ThrowIfNull(socket);
        from = null;
        timestamp = 0;
        var name = stackalloc byte[128];
        var control = stackalloc byte[128];
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
                ControlLength = 128,
            };

            var received = ReceiveMessage(socket.SafeHandle.DangerousGetHandle(), &header, 0);
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

            timestamp = ReadTimestamp(control, (int)header.ControlLength) ?? now;
            from = ReadAddress(name);
            return (int)received;
        }
    }

    private static unsafe long? ReadTimestamp(byte* control, int length)
    {
        // struct cmsghdr { size_t len; int level; int type; } then the data, aligned to size_t (16 bytes in all on LP64).
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

            if (level == SolSocket && type == SoTimestampNs && itemLength >= 32)
            {
                var seconds = *(long*)(control + offset + 16);
                var nanoseconds = *(long*)(control + offset + 24);
                return (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
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
