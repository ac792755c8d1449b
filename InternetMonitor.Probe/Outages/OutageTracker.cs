using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;

namespace InternetMonitor.Probe.Outages;

/// <summary>
/// The outage state machine, pure: fed echo results and the current time, it says when the internet went
/// down and came back. Down needs every public target to have lost every echo for <c>DownAfter</c>, so random
/// loss, however heavy, does not trip it unless it takes every target at once for that long; up needs one
/// target to answer <c>UpAfterReplies</c> echoes in a row. Every comparison and duration is on the monotonic clock
/// (each echo's send given as a <see cref="Moment"/>, "now" as a monotonic time); the wall clock only names the start,
/// and the end is named by the start plus the outage's monotonic length, so a step of the wall clock neither makes
/// nor hides an outage nor changes its length (docs/time.md). Not thread-safe: the caller serialises.
/// </summary>
public sealed class OutageTracker
{
    private readonly OutageOptions _options;
    private readonly Dictionary<string, TargetState> _states;
    private readonly TargetState[] _public;
    private readonly TargetState? _gateway;

    public OutageTracker(OutageOptions options, IEnumerable<PingTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(targets);
        _options = options;
        _states = targets.ToDictionary(target => target.Name, target => new TargetState(target), StringComparer.Ordinal);
        _public = [.. _states.Values.Where(state => state.Target.Role == TargetRole.Public)];
        _gateway = _states.Values.FirstOrDefault(state => state.Target.Role == TargetRole.Gateway);
        if (_public.Length == 0)
        {
            throw new ArgumentException("at least one public target is needed to judge the internet", nameof(targets));
        }
    }

    public ConnectivityState State { get; private set; }

    /// <summary>The outage in progress, or null.</summary>
    public OutageStarted? CurrentOutage { get; private set; }

    /// <summary>The outage in progress's start on the monotonic clock, or null.</summary>
    public TimeSpan? CurrentOutageSince { get; private set; }

    /// <summary>
    /// During an outage, the monotonic send time of the first reply of a run that may end it (not yet long enough to
    /// be sure); null otherwise. Outage time is not counted past it, so that a confirmed recovery needs no correction.
    /// </summary>
    public TimeSpan? RecoveringSince => State == ConnectivityState.Down
        ? _public.Where(state => state.RepliesInARow > 0).Select(state => state.AnsweringSince?.Monotonic).Min()
        : null;

    /// <summary>True when the target answered and has not been silent for DownAfter at monotonic <paramref name="now"/>; null before any verdict.</summary>
    public bool? IsUp(PingTarget target, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_states.TryGetValue(target.Name, out var state))
        {
            return null;
        }

        if (state.FailingSince is { } since && now - since.Monotonic >= _options.DownAfter)
        {
            return false;
        }

        return state.LastReplySentAt is null ? null : true;
    }

    /// <summary>Takes one echo result, sent at <paramref name="sent"/>, at monotonic <paramref name="now"/>; returns the transition it caused, if any.</summary>
    public OutageEvent? Observe(PingResult result, Moment sent, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_states.TryGetValue(result.Target.Name, out var state))
        {
            state.Observe(result, sent);
        }

        return Evaluate(now);
    }

    /// <summary>Re-judges at monotonic <paramref name="now"/> without a new result (a clock tick).</summary>
    public OutageEvent? Evaluate(TimeSpan now)
    {
        if (State != ConnectivityState.Down)
        {
            if (Array.TrueForAll(_public, state => state.FailingSince is { } since && now - since.Monotonic >= _options.DownAfter))
            {
                var start = _public.Select(state => state.FailingSince!.Value).MaxBy(since => since.Monotonic);
                CurrentOutage = new OutageStarted(start.Wall, JudgeCause(now), start.Wall + (now - start.Monotonic));
                CurrentOutageSince = start.Monotonic;
                State = ConnectivityState.Down;
                return CurrentOutage;
            }

            if (Array.Exists(_public, state => state.RepliesInARow > 0))
            {
                State = ConnectivityState.Up;
            }

            return null;
        }

        var recovered = _public.Where(state => state.RepliesInARow >= _options.UpAfterReplies).MinBy(state => state.AnsweringSince!.Value.Monotonic);
        if (recovered is null)
        {
            return null;
        }

        var outage = CurrentOutage!;
        var length = recovered.AnsweringSince!.Value.Monotonic - CurrentOutageSince!.Value;
        State = ConnectivityState.Up;
        CurrentOutage = null;
        CurrentOutageSince = null;
        return new OutageEnded(outage.Start, outage.Cause, outage.Start + (length < TimeSpan.Zero ? TimeSpan.Zero : length));
    }

    private OutageCause JudgeCause(TimeSpan now)
    {
        if (Array.TrueForAll(_public, state => state.LastFailure == PingOutcome.NoRoute))
        {
            return OutageCause.Local;
        }

        if (_gateway is null)
        {
            return OutageCause.Unknown;
        }

        return IsUp(_gateway.Target, now) == true ? OutageCause.Internet : OutageCause.Local;
    }

    private sealed class TargetState(PingTarget target)
    {
        public PingTarget Target { get; } = target;

        /// <summary>Send time of the first echo lost since the last reply; null while answering.</summary>
        public Moment? FailingSince { get; private set; }

        /// <summary>Monotonic send time of the newest reply.</summary>
        public TimeSpan? LastReplySentAt { get; private set; }

        /// <summary>Send time of the first reply of the current run of replies.</summary>
        public Moment? AnsweringSince { get; private set; }

        public int RepliesInARow { get; private set; }

        public PingOutcome? LastFailure { get; private set; }

        public void Observe(PingResult result, Moment sent)
        {
            // Results complete out of order (a timeout lands after later replies): a loss older than the
            // newest reply says nothing about now.
            if (LastReplySentAt is { } lastReply && sent.Monotonic <= lastReply)
            {
                return;
            }

            if (result.Succeeded)
            {
                if (RepliesInARow == 0)
                {
                    AnsweringSince = sent;
                }

                RepliesInARow++;
                LastReplySentAt = sent.Monotonic;
                FailingSince = null;
                return;
            }

            FailingSince ??= sent;
            RepliesInARow = 0;
            AnsweringSince = null;
            LastFailure = result.Outcome;
        }
    }
}
