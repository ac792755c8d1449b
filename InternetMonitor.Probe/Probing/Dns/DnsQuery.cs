using System.Net;

namespace InternetMonitor.Probe.Probing.Dns;

/// <param name="Server">The <c>server</c> label: a configured name, or "system".</param>
/// <param name="Endpoint">The server to ask; null for the system resolver.</param>
/// <param name="Name"></param>
/// <param name="Type"></param>
public sealed record DnsQuery(string Server, IPEndPoint? Endpoint, string Name, DnsRecordType Type);
