using System.Net;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>A parsed ICMP message that concerns one of our echoes.</summary>
/// <param name="Kind"></param>
/// <param name="Identifier"></param>
/// <param name="Sequence"></param>
/// <param name="Code"></param>
/// <param name="Destination">For errors: the destination of the echo that failed, read from the quoted header.</param>
public readonly record struct IcmpMessage(IcmpMessageKind Kind, ushort Identifier, ushort Sequence, byte Code, IPAddress? Destination);
