using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Sends one echo request per call and returns its fate. Replies are matched by identifier (the channel's)
/// and by target address and sequence, so concurrent echoes to many targets never mix; a reply that comes
/// after the timeout is a <see cref="LateReply"/>, never a sample. The RTT runs from the kernel's transmit stamp
/// (or the wall clock just before the send) to the kernel's arrival stamp, checked against the monotonic clock.
/// </summary>
public sealed class IcmpProber(IOptions<IcmpOptions> options, TimeProvider timeProvider, ResultPublisher<LateReply> lateReplies)
    : IPinger, IDisposable
{
    /// <summary>How long a timed-out echo is remembered, so that its reply can still be told apart as late.</summary>
    private static readonly TimeSpan LateReplyHorizon = TimeSpan.FromSeconds(60);

    /// <summary>How far the wall-clock RTT may exceed the monotonic one before it counts as a step (at least; 0.1 % of a long RTT).</summary>
    private static readonly TimeSpan MonotonicSlack = TimeSpan.FromMicroseconds(50);

    private readonly IcmpOptions _options = options.Value;
    private readonly ConcurrentDictionary<AddressFamily, IcmpChannel> _channels = new();
    private readonly ConcurrentDictionary<EchoKey, Echo> _pending = new();
    private readonly ConcurrentDictionary<EchoKey, Echo> _timedOut = new();
    private readonly ConcurrentQueue<(EchoKey Key, Echo Echo, long Stamp)> _timedOutOrder = new();
    private readonly ConcurrentDictionary<IPAddress, SequenceCounter> _sequences = new();
    private readonly Lock _openLock = new();
    private long _transmitStamps;

    /// <inheritdoc />
    public IReadOnlyList<IcmpChannelInfo> Open(IEnumerable<AddressFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        lock (_openLock)
        {
            foreach (var family in families.Distinct())
            {
                if (!_channels.ContainsKey(family))
                {
                    _channels[family] = IcmpChannel.Open(family, _options.SocketKind, OnReceipt, OnTransmit);
                }
            }

            return [.. _channels.Values.OrderBy(channel => channel.Family).Select(channel => new IcmpChannelInfo(channel.Family, channel.Kind, channel.Identifier, channel.Timestamps))];
        }
    }

    public async Task<PingResult> ProbeAsync(PingTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var sentAt = timeProvider.GetUtcNow();
        if (!_channels.TryGetValue(target.Address.AddressFamily, out var channel))
        {
            return new PingResult(target, 0, sentAt, PingOutcome.SendError, null, $"no ICMP channel open for {target.Address.AddressFamily}");
        }

        var sequence = NextSequence(target.Address);
        var key = new EchoKey(target.Address, sequence);
        // Registered before the send and stamped just before the system call: on loopback the reply can be
        // read before SendTo returns.
        var echo = new Echo(target, sequence, sentAt);
        _pending[key] = echo;
        try
        {
            channel.SendEcho(target.Address, sequence, _options.PayloadSize, echo.Stamp);
        }
        catch (SocketException exception)
        {
            _pending.TryRemove(key, out _);
            return new PingResult(target, sequence, sentAt, Classify(exception.SocketErrorCode), null, exception.Message);
        }

        try
        {
            return await echo.Completion.Task.WaitAsync(_options.Timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (!_pending.TryRemove(key, out _))
            {
                // The reply won the race against the timeout.
                return await echo.Completion.Task.ConfigureAwait(false);
            }

            RememberTimedOut(key, echo);
            return new PingResult(target, sequence, sentAt, PingOutcome.Timeout, null, $"no reply within {_options.Timeout.TotalMilliseconds:0} ms");
        }
        catch (OperationCanceledException)
        {
            _pending.TryRemove(key, out _);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }

        _channels.Clear();
    }

    /// <summary>How many echoes got the kernel's transmit stamp, to start their RTT from.</summary>
    public long TransmitStamps => Interlocked.Read(ref _transmitStamps);

    private void OnTransmit(IcmpTransmit transmit)
    {
        if (_pending.TryGetValue(new EchoKey(transmit.Destination, transmit.Sequence), out var echo))
        {
            echo.Transmitted(transmit.Timestamp);
            Interlocked.Increment(ref _transmitStamps);
        }
    }

    private void OnReceipt(IcmpReceipt receipt)
    {
        var message = receipt.Message;
        var address = message.Kind == IcmpMessageKind.EchoReply ? receipt.From : message.Destination!;
        var key = new EchoKey(address, message.Sequence);
        if (_pending.TryRemove(key, out var echo))
        {
            var result = message.Kind == IcmpMessageKind.EchoReply
                ? new PingResult(echo.Target, echo.Sequence, echo.SentAt, PingOutcome.Reply, RoundTrip(echo, receipt))
                : new PingResult(echo.Target, echo.Sequence, echo.SentAt, PingOutcome.Unreachable, null,
                    $"ICMP {(message.Kind == IcmpMessageKind.TimeExceeded ? "time exceeded" : "destination unreachable")} code {message.Code} from {receipt.From}");
            echo.Completion.TrySetResult(result);
        }
        else if (message.Kind == IcmpMessageKind.EchoReply && _timedOut.TryRemove(key, out var late))
        {
            lateReplies.Publish(new LateReply(late.Target, late.Sequence, RoundTrip(late, receipt)));
        }
    }

    /// <summary>
    /// The kernel's stamps are on the wall clock, which NTP may step between a send and its reply: their difference
    /// must lie inside the monotonic interval around them (taken before the send and after the read, so it is the
    /// longer), give or take NTP's slewing. One outside it is a step, and the monotonic interval is the RTT.
    /// </summary>
    internal static TimeSpan RoundTrip(IcmpSendStamp sent, long transmitted, IcmpReceipt receipt)
    {
        var monotonic = Stopwatch.GetElapsedTime(sent.Monotonic, receipt.Monotonic);
        var start = transmitted >= sent.Wall ? transmitted : sent.Wall;
        var wall = receipt.Timestamp - start;
        var slack = Math.Max(MonotonicSlack.Ticks, monotonic.Ticks / 1000);
        return wall >= 0 && wall <= monotonic.Ticks + slack ? TimeSpan.FromTicks(wall) : monotonic;
    }

    private static TimeSpan RoundTrip(Echo echo, IcmpReceipt receipt) => RoundTrip(echo.SendStamp, echo.TransmitStamp, receipt);

    private void RememberTimedOut(EchoKey key, Echo echo)
    {
        var now = Stopwatch.GetTimestamp();
        _timedOut[key] = echo;
        _timedOutOrder.Enqueue((key, echo, now));
        while (_timedOutOrder.TryPeek(out var oldest) && Stopwatch.GetElapsedTime(oldest.Stamp, now) > LateReplyHorizon
               && _timedOutOrder.TryDequeue(out oldest))
        {
            // Only if it is still that echo: after a sequence wrap the key may name a newer one.
            _timedOut.TryRemove(KeyValuePair.Create(oldest.Key, oldest.Echo));
        }
    }

    private ushort NextSequence(IPAddress address)
    {
        var counter = _sequences.GetOrAdd(address, _ => new SequenceCounter());
        return (ushort)Interlocked.Increment(ref counter.Value);
    }

    private static PingOutcome Classify(SocketError error) => error switch
    {
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => PingOutcome.NoRoute,
        SocketError.AccessDenied => PingOutcome.PermissionDenied,
        _ => PingOutcome.SendError,
    };

    private readonly record struct EchoKey(IPAddress Address, ushort Sequence);

    private sealed class SequenceCounter
    {
        public int Value;
    }

    private sealed class Echo(PingTarget target, ushort sequence, DateTimeOffset sentAt)
    {
        private long _sendWall;
        private long _sendMonotonic;
        private long _transmitStamp;

        public PingTarget Target { get; } = target;

        public ushort Sequence { get; } = sequence;

        public DateTimeOffset SentAt { get; } = sentAt;

        /// <summary>Set by the sending thread before the send, read by the reader thread after the reply.</summary>
        public IcmpSendStamp SendStamp => new(Volatile.Read(ref _sendWall), Volatile.Read(ref _sendMonotonic));

        /// <summary>The kernel's transmit stamp, 0 until it comes (set and read on the reader thread).</summary>
        public long TransmitStamp => Volatile.Read(ref _transmitStamp);

        public void Stamp(IcmpSendStamp stamp)
        {
            Volatile.Write(ref _sendMonotonic, stamp.Monotonic);
            Volatile.Write(ref _sendWall, stamp.Wall);
        }

        public void Transmitted(long stamp) => Volatile.Write(ref _transmitStamp, stamp);

        // Continuations run on the thread that completes the echo (the reader, or the timeout's timer) rather
        // than being queued to the thread pool: one thread wake-up less per echo. The RTT is unaffected (the
        // kernel stamps arrivals) and what runs there, recording a result, never blocks.
        public TaskCompletionSource<PingResult> Completion { get; } = new();
    }
}
