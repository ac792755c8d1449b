using InternetMonitor.Probe.Targets;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>One echo request and what became of it.</summary>
/// <param name="Target"></param>
/// <param name="Sequence"></param>
/// <param name="SentAt">Wall-clock time of the send (the RTT itself comes from the monotonic clock).</param>
/// <param name="Outcome"></param>
/// <param name="RoundTripTime">Set for replies only: a lost packet has no RTT, never a zero.</param>
/// <param name="Detail">Why it was lost, for the log (the socket error, the ICMP code).</param>
public sealed record PingResult(PingTarget Target, ushort Sequence, DateTimeOffset SentAt, PingOutcome Outcome, TimeSpan? RoundTripTime, string? Detail = null)
{
    public bool Succeeded => Outcome == PingOutcome.Reply;

    /// <summary>Which round of the ping job sent it (the n-th echo to every target), set by the job; 0 outside it.</summary>
    public long Round { get; init; }
}
