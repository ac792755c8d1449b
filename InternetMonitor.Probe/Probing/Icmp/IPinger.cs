using System.Net.Sockets;
using InternetMonitor.Probe.Targets;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Sends ICMP echo requests and returns their fate: what <see cref="PingJob"/> uses, so that tests can answer
/// echoes without a raw socket. What it runs never blocks the caller: <see cref="IProber{TTarget, TResult}.ProbeAsync"/>
/// returns as soon as the request is sent, because the job calls it from the one thread that keeps every target's schedule.
/// </summary>
public interface IPinger : IProber<PingTarget, PingResult>
{
    /// <summary>Opens a channel for each family (idempotent) and describes them, so the caller can say what it uses.</summary>
    /// <exception cref="IcmpUnavailableException">The process may open no ICMP channel of a needed family.</exception>
    IReadOnlyList<IcmpChannelInfo> Open(IEnumerable<AddressFamily> families);
}
