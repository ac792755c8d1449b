using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A stand-in for the ICMP prober: every echo is answered at once with its address's round trip (1 ms unless
/// <see cref="Answer"/> set another) or lost (<see cref="Lose"/>), with no socket, so the probe runs in process without root.
/// </summary>
public sealed class FakePinger : IPinger
{
    /// <summary>The round trip of an address nothing was said about.</summary>
    public static readonly TimeSpan DefaultRoundTrip = TimeSpan.FromMilliseconds(1);

    private readonly ConcurrentDictionary<IPAddress, TimeSpan?> _answers = new();
    private readonly ConcurrentDictionary<IPAddress, int> _sequences = new();
    private readonly TimeProvider _timeProvider;
    private long _sent;

    public FakePinger(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>How many echoes were asked for.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>From now on, echoes to <paramref name="address"/> come back after <paramref name="roundTrip"/>.</summary>
    public void Answer(IPAddress address, TimeSpan roundTrip) => _answers[address] = roundTrip;

    /// <summary>From now on, every echo to <paramref name="address"/> is lost (a timeout).</summary>
    public void Lose(IPAddress address) => _answers[address] = null;

    public IReadOnlyList<IcmpChannelInfo> Open(IEnumerable<AddressFamily> families) =>
        [.. families.Distinct().Select(family => new IcmpChannelInfo(family, IcmpSocketKind.Datagram, 1, IcmpTimestamps.UserSpace))];

    public Task<PingResult> ProbeAsync(PingTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _sent);
        var sequence = (ushort)_sequences.AddOrUpdate(target.Address, 1, (_, last) => last + 1);
        var sentAt = _timeProvider.GetUtcNow();
        var roundTrip = _answers.GetValueOrDefault(target.Address, DefaultRoundTrip);
        return Task.FromResult(roundTrip is { } rtt
            ? new PingResult(target, sequence, sentAt, PingOutcome.Reply, rtt)
            : new PingResult(target, sequence, sentAt, PingOutcome.Timeout, null, "lost by the fake pinger"));
    }
}
