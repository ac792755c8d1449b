using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.Icmp;

[Trait(Layer.Key, Layer.Unit)]
public sealed class IcmpPacketTests
{
    [Fact]
    public void Checksum_matches_the_rfc_1071_worked_example()
    {
        // RFC 1071 section 3: the one's-complement sum of 0001 f203 f4f5 f6f7 is ddf2; the checksum its complement.
        byte[] data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        Assert.Equal((ushort)0x220d, IcmpPacket.Checksum(data));
    }

    [Fact]
    public void An_ipv4_echo_request_carries_identifier_sequence_and_a_valid_checksum()
    {
        var buffer = new byte[64];
        var length = IcmpPacket.WriteEchoRequest(buffer, AddressFamily.InterNetwork, 0x1234, 0xBEEF, 56);

        Assert.Equal(64, length);
        Assert.Equal(8, buffer[0]);
        Assert.Equal(0x1234, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(4)));
        Assert.Equal(0xBEEF, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(6)));
        Assert.Equal(0, IcmpPacket.Checksum(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void An_ipv6_echo_request_leaves_the_checksum_to_the_kernel()
    {
        var buffer = new byte[64];
        IcmpPacket.WriteEchoRequest(buffer, AddressFamily.InterNetworkV6, 1, 2, 56);

        Assert.Equal(128, buffer[0]);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)));
    }

    [Fact]
    public void An_ipv4_echo_reply_behind_its_ip_header_is_parsed()
    {
        var reply = EchoReplyV4(identifier: 7, sequence: 300);

        Assert.True(IcmpPacket.TryParse(reply, AddressFamily.InterNetwork, withIpHeader: true, out var message));
        Assert.Equal(new IcmpMessage(IcmpMessageKind.EchoReply, 7, 300, 0, null), message);
    }

    [Fact]
    public void Our_own_echo_request_seen_on_loopback_is_not_a_reply()
    {
        var request = new byte[20 + 64];
        request[0] = 0x45;
        IcmpPacket.WriteEchoRequest(request.AsSpan(20), AddressFamily.InterNetwork, 7, 300, 56);

        Assert.False(IcmpPacket.TryParse(request, AddressFamily.InterNetwork, withIpHeader: true, out _));
    }

    [Fact]
    public void An_ipv4_destination_unreachable_names_the_echo_and_destination_it_quotes()
    {
        var quoted = new byte[20 + 8 + IcmpPacket.MinimumPayload];
        quoted[0] = 0x45;
        quoted[9] = (byte)ProtocolType.Icmp;
        IPAddress.Parse("192.0.2.9").GetAddressBytes().CopyTo(quoted, 16);
        IcmpPacket.WriteEchoRequest(quoted.AsSpan(20), AddressFamily.InterNetwork, 7, 11, IcmpPacket.MinimumPayload);
        var error = new byte[8 + quoted.Length];
        error[0] = 3;
        error[1] = 1; // host unreachable
        quoted.CopyTo(error, 8);

        Assert.True(IcmpPacket.TryParse(error, AddressFamily.InterNetwork, withIpHeader: false, out var message));
        Assert.Equal(IcmpMessageKind.Unreachable, message.Kind);
        Assert.Equal((ushort)7, message.Identifier);
        Assert.Equal((ushort)11, message.Sequence);
        Assert.Equal(1, message.Code);
        Assert.Equal(IPAddress.Parse("192.0.2.9"), message.Destination);
    }

    [Fact]
    public void An_ipv6_time_exceeded_names_the_echo_and_destination_it_quotes()
    {
        var quoted = new byte[40 + 8 + IcmpPacket.MinimumPayload];
        quoted[0] = 0x60;
        quoted[6] = (byte)ProtocolType.IcmpV6;
        IPAddress.Parse("2001:db8::9").GetAddressBytes().CopyTo(quoted, 24);
        IcmpPacket.WriteEchoRequest(quoted.AsSpan(40), AddressFamily.InterNetworkV6, 5, 6, IcmpPacket.MinimumPayload);
        var error = new byte[8 + quoted.Length];
        error[0] = 3;
        quoted.CopyTo(error, 8);

        Assert.True(IcmpPacket.TryParse(error, AddressFamily.InterNetworkV6, withIpHeader: false, out var message));
        Assert.Equal(new IcmpMessage(IcmpMessageKind.TimeExceeded, 5, 6, 0, IPAddress.Parse("2001:db8::9")), message);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x45, 0, 0 })]
    [InlineData(new byte[] { 0x4F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Truncated_or_garbage_datagrams_are_ignored(byte[] datagram) =>
        Assert.False(IcmpPacket.TryParse(datagram, AddressFamily.InterNetwork, withIpHeader: true, out _));

    [Fact]
    public void An_error_quoting_something_other_than_an_echo_is_ignored()
    {
        var error = new byte[8 + 28];
        error[0] = 3;
        error[8] = 0x45;
        error[8 + 9] = (byte)ProtocolType.Udp;

        Assert.False(IcmpPacket.TryParse(error, AddressFamily.InterNetwork, withIpHeader: false, out _));
    }

    private static byte[] EchoReplyV4(ushort identifier, ushort sequence)
    {
        var packet = new byte[20 + 64];
        packet[0] = 0x45;
        IcmpPacket.WriteEchoRequest(packet.AsSpan(20), AddressFamily.InterNetwork, identifier, sequence, 56);
        packet[20] = 0; // echo reply
        return packet;
    }

    [Theory]
    [InlineData("192.0.2.7", 14, 0x1234, 0xBEEF)] // Ethernet, veth and loopback: the frame as the device got it
    [InlineData("192.0.2.7", 0, 0x1234, 0xBEEF)] // a tunnel: no link-layer header
    [InlineData("2001:db8::5", 14, 7, 9)]
    public void A_transmitted_frame_gives_back_the_echo_it_carries(string address, int linkHeader, int identifier, int sequence)
    {
        var target = IPAddress.Parse(address);
        var frame = Frame(target.AddressFamily, linkHeader, target, (ushort)identifier, (ushort)sequence);

        Assert.True(IcmpPacket.TryParseTransmitted(frame, target.AddressFamily, out var destination, out var readIdentifier, out var readSequence));
        Assert.Equal(target, destination);
        Assert.Equal(identifier, readIdentifier);
        Assert.Equal(sequence, readSequence);
    }

    [Fact]
    public void A_transmitted_frame_that_is_cut_short_or_no_echo_request_is_not_read()
    {
        var frame = Frame(AddressFamily.InterNetwork, 14, IPAddress.Parse("192.0.2.7"), 1, 2);
        var reply = (byte[])frame.Clone();
        reply[14 + 20] = 0; // an echo reply, not a request

        Assert.False(IcmpPacket.TryParseTransmitted(frame.AsSpan(0, frame.Length - 1), AddressFamily.InterNetwork, out _, out _, out _));
        Assert.False(IcmpPacket.TryParseTransmitted(reply, AddressFamily.InterNetwork, out _, out _, out _));
        Assert.False(IcmpPacket.TryParseTransmitted([], AddressFamily.InterNetwork, out _, out _, out _));
    }

    /// <summary>An echo request as the kernel hands it back with its transmit stamp: link-layer header, IP header, ICMP.</summary>
    private static byte[] Frame(AddressFamily family, int linkHeader, IPAddress destination, ushort identifier, ushort sequence)
    {
        var v6 = family == AddressFamily.InterNetworkV6;
        var ipHeader = v6 ? 40 : 20;
        var icmp = new byte[IcmpPacket.HeaderSize + 56];
        IcmpPacket.WriteEchoRequest(icmp, family, identifier, sequence, 56);
        var frame = new byte[linkHeader + ipHeader + icmp.Length];
        var ip = frame.AsSpan(linkHeader);
        if (v6)
        {
            ip[0] = 0x60;
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)icmp.Length);
            ip[6] = (byte)ProtocolType.IcmpV6;
            ip[7] = 64;
            IPAddress.IPv6Loopback.GetAddressBytes().CopyTo(ip[8..]);
            destination.GetAddressBytes().CopyTo(ip[24..]);
        }
        else
        {
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(ipHeader + icmp.Length));
            ip[8] = 64;
            ip[9] = (byte)ProtocolType.Icmp;
            IPAddress.Loopback.GetAddressBytes().CopyTo(ip[12..]);
            destination.GetAddressBytes().CopyTo(ip[16..]);
        }

        icmp.CopyTo(ip[ipHeader..]);
        return frame;
    }
}
