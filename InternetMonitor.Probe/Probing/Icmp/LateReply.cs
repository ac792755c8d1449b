using InternetMonitor.Probe.Targets;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>A reply that arrived after its echo had been declared lost: counted, never a sample.</summary>
public sealed record LateReply(PingTarget Target, ushort Sequence, TimeSpan RoundTripTime);
