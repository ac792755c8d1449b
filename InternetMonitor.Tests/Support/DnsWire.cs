using System.Buffers.Binary;

namespace InternetMonitor.Tests.Support;

/// <summary>Just enough of the DNS wire format for test servers: a query and a reply header.</summary>
public static class DnsWire
{
    public static byte[] Query(string name, ushort id = 0x4242)
    {
        var packet = new List<byte>(64);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // recursion desired
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);
        packet.AddRange(header.ToArray());
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        packet.AddRange([0, 0, 1, 0, 1]); // root, type A, class IN
        return [.. packet];
    }

    /// <summary>A reply to <paramref name="query"/> with no records and the given response code.</summary>
    public static byte[] Reply(ReadOnlySpan<byte> query, int responseCode)
    {
        var reply = query.ToArray();
        var flags = (ushort)(0x8180 | (responseCode & 0xF)); // response, recursion desired and available
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), flags);
        reply.AsSpan(6, 6).Clear(); // no answer, authority or additional records
        return reply;
    }

    public static int ResponseCode(ReadOnlySpan<byte> reply) => reply.Length >= 4 ? reply[3] & 0xF : -1;
}
