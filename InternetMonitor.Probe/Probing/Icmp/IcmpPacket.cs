using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>Builds echo requests and parses what comes back, for ICMPv4 and ICMPv6 (RFC 792, RFC 4443).</summary>
public static class IcmpPacket
{
    public const int HeaderSize = 8;

    /// <summary>The payload starts with a magic and 8 reserved bytes, so our own echoes are recognisable in a capture.</summary>
    public const int MinimumPayload = 12;

    private const byte EchoRequestV4 = 8;
    private const byte EchoReplyV4 = 0;
    private const byte UnreachableV4 = 3;
    private const byte TimeExceededV4 = 11;
    private const byte EchoRequestV6 = 128;
    private const byte EchoReplyV6 = 129;
    private const byte UnreachableV6 = 1;
    private const byte TimeExceededV6 = 3;
    private const uint Magic = 0x494D4F4E; // "IMON"

    /// <summary>Writes an echo request into <paramref name="buffer"/> and returns its length.</summary>
    public static int WriteEchoRequest(Span<byte> buffer, AddressFamily family, ushort identifier, ushort sequence, int payloadSize)
    {
        var length = HeaderSize + payloadSize;
        var packet = buffer[..length];
        packet.Clear();
        packet[0] = family == AddressFamily.InterNetworkV6 ? EchoRequestV6 : EchoRequestV4;
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(packet[6..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], Magic);
        for (var i = 20; i < length; i++)
        {
            packet[i] = (byte)i;
        }

        // ICMPv6 checksums cover a pseudo-header only the kernel knows: it fills them in for raw and ping sockets.
        if (family == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], Checksum(packet));
        }

        return length;
    }

    /// <summary>The Internet checksum (RFC 1071) of <paramref name="data"/>.</summary>
    public static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            sum += (uint)(data[i] << 8);
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>
    /// Parses a received datagram. <paramref name="withIpHeader"/> is true for IPv4 raw sockets, which
    /// deliver the IP header too. Echo requests (ours, seen on loopback) and unrelated types give false.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, AddressFamily family, bool withIpHeader, out IcmpMessage message)
    {
        message = default;
        var icmp = datagram;
        if (withIpHeader)
        {
            if (!TrySkipIPv4Header(datagram, out icmp))
            {
                return false;
            }
        }

        if (icmp.Length < HeaderSize)
        {
            return false;
        }

        var v6 = family == AddressFamily.InterNetworkV6;
        var type = icmp[0];
        var code = icmp[1];
        if (type == (v6 ? EchoReplyV6 : EchoReplyV4))
        {
            message = new IcmpMessage(IcmpMessageKind.EchoReply, ReadUInt16(icmp, 4), ReadUInt16(icmp, 6), code, null);
            return true;
        }

        IcmpMessageKind kind;
        if (type == (v6 ? UnreachableV6 : UnreachableV4))
        {
            kind = IcmpMessageKind.Unreachable;
        }
        else if (type == (v6 ? TimeExceededV6 : TimeExceededV4))
        {
            kind = IcmpMessageKind.TimeExceeded;
        }
        else
        {
            return false;
        }

        // An error quotes the IP header of the packet that failed and at least the first 8 bytes after it.
        var quoted = icmp[HeaderSize..];
        IPAddress destination;
        ReadOnlySpan<byte> original;
        if (v6)
        {
            const int ipv6HeaderSize = 40;
            if (quoted.Length < ipv6HeaderSize + HeaderSize || quoted[6] != (byte)ProtocolType.IcmpV6)
            {
                return false;
            }

            destination = new IPAddress(quoted.Slice(24, 16));
            original = quoted[ipv6HeaderSize..];
        }
        else
        {
            if (!TrySkipIPv4Header(quoted, out original) || quoted[9] != (byte)ProtocolType.Icmp || original.Length < HeaderSize)
            {
                return false;
            }

            destination = new IPAddress(quoted.Slice(16, 4));
        }

        if (original[0] != (v6 ? EchoRequestV6 : EchoRequestV4))
        {
            return false;
        }

        message = new IcmpMessage(kind, ReadUInt16(original, 4), ReadUInt16(original, 6), code, destination);
        return true;
    }

    /// <summary>
    /// Finds our echo request in a packet the kernel hands back with its transmit stamp: the packet as it was sent,
    /// after a link-layer header whose length depends on the device (14 bytes on Ethernet and loopback, none on a
    /// tunnel). The IP header is the one whose length field says it runs to the end of the frame.
    /// </summary>
    public static bool TryParseTransmitted(ReadOnlySpan<byte> frame, AddressFamily family, out IPAddress? destination, out ushort identifier, out ushort sequence)
    {
        destination = null;
        identifier = 0;
        sequence = 0;
        var v6 = family == AddressFamily.InterNetworkV6;
        for (var offset = 0; offset <= 64 && offset + (v6 ? 48 : 28) <= frame.Length; offset++)
        {
            var packet = frame[offset..];
            ReadOnlySpan<byte> icmp;
            if (v6)
            {
                if (packet[0] >> 4 != 6 || packet[6] != (byte)ProtocolType.IcmpV6 || ReadUInt16(packet, 4) != packet.Length - 40)
                {
                    continue;
                }

                icmp = packet[40..];
            }
            else
            {
                if (packet[0] >> 4 != 4 || packet[9] != (byte)ProtocolType.Icmp || ReadUInt16(packet, 2) != packet.Length
                    || !TrySkipIPv4Header(packet, out icmp) || icmp.Length < HeaderSize)
                {
                    continue;
                }
            }

            if (icmp[0] != (v6 ? EchoRequestV6 : EchoRequestV4))
            {
                continue;
            }

            destination = new IPAddress(v6 ? packet.Slice(24, 16) : packet.Slice(16, 4));
            identifier = ReadUInt16(icmp, 4);
            sequence = ReadUInt16(icmp, 6);
            return true;
        }

        return false;
    }

    private static bool TrySkipIPv4Header(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> rest)
    {
        rest = default;
        if (datagram.Length < 20 || datagram[0] >> 4 != 4)
        {
            return false;
        }

        var headerLength = (datagram[0] & 0x0F) * 4;
        if (headerLength < 20 || datagram.Length < headerLength)
        {
            return false;
        }

        rest = datagram[headerLength..];
        return true;
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
}
