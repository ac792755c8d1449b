using System.Net;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>A message for one of our echoes, with the Stopwatch timestamp taken as it arrived.</summary>
public readonly record struct IcmpReceipt(IPAddress From, IcmpMessage Message, long Timestamp);
