using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;

namespace InternetMonitor.Probe.Outages;

/// <summary>
/// The outage state machine, pure: fed echo results and the current time, it says when the internet went
/// down and came back. Down needs every public target to have lost every echo for <c>DownAfter</c>, so random
/// loss, however heavy, does not trip it unless it takes every target at once for that long; up needs one
/// target to answer <c>UpAfterReplies</c> echoes in a row. Not thread-safe: the caller serialises.
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

    public IEnumerable<PingTarget> Targets => _states.Values.Select(state => state.Target);

    /// <summary>
    /// During an outage, the send time of the first reply of a run that may end it (not yet long enough to be
    /// sure); null otherwise. Outage time is not counted past it, so that a confirmed recovery needs no correction.
    /// </summary>
    public DateTimeOffset? RecoveringSince => State == ConnectivityState.Down
        ? _public.Where(state => state.RepliesInARow > 0).Select(state => state.AnsweringSince).Min()
        : null;

    /// <summary>True when the target answered and has not been silent for DownAfter; null before any verdict.</summary>
    public bool? IsUp(PingTarget target, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_states.TryGetValue(target.Name, out var state))
        {
            return null;
        }

        if (state.FailingSince is { } since && now - since >= _options.DownAfter)
        {
            return false;
        }

        return state.LastReplySentAt is null ? null : true;
    }

    /// <summary>Takes one echo result; returns the transition it caused, if any.</summary>
    public OutageEvent? Observe(PingResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_states.TryGetValue(result.Target.Name, out var state))
        {
            state.Observe(result);
        }

        return Evaluate(now);
    }

    /// <summary>Re-judges at <paramref name="now"/> without a new result (a clock tick).</summary>
    public OutageEvent? Evaluate(DateTimeOffset now)
    {
        if (State != ConnectivityState.Down)
        {
            if (Array.TrueForAll(_public, state => state.FailingSince is { } since && now - since >= _options.DownAfter))
            {
                var start = _public.Max(state => state.FailingSince!.Value);
                CurrentOutage = new OutageStarted(start, JudgeCause(now), now);
                State = ConnectivityState.Down;
                return CurrentOutage;
            }

            if (Array.Exists(_public, state => state.RepliesInARow > 0))
            {
                State = ConnectivityState.Up;
            }

            return null;
        }

        var recovered = _public.Where(state => state.RepliesInARow >= _options.UpAfterReplies).MinBy(state => state.AnsweringSince);
        if (recovered is null)
        {
            return null;
        }

        var outage = CurrentOutage!;
        var end = recovered.AnsweringSince!.Value;
        State = ConnectivityState.Up;
        CurrentOutage = null;
        return new OutageEnded(outage.Start, outage.Cause, end < outage.Start ? outage.Start : end);
    }

    private OutageCause JudgeCause(DateTimeOffset now)
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
        public DateTimeOffset? FailingSince { get; private set; }

        public DateTimeOffset? LastReplySentAt { get; private set; }

        /// <summary>Send time of the first reply of the current run of replies.</summary>
        public DateTimeOffset? AnsweringSince { get; private set; }

        public int RepliesInARow { get; private set; }

        public PingOutcome? LastFailure { get; private set; }

        public void Observe(PingResult result)
        {
            // Results complete out of order (a timeout lands after later replies): a loss older than the
            // newest reply says nothing about now.
            if (LastReplySentAt is { } lastReply && result.SentAt <= lastReply)
            {
                return;
            }

            if (result.Succeeded)
            {
                if (RepliesInARow == 0)
                {
                    AnsweringSince = result.SentAt;
                }

                RepliesInARow++;
                LastReplySentAt = result.SentAt;
                FailingSince = null;
                return;
            }

            FailingSince ??= result.SentAt;
            RepliesInARow = 0;
            AnsweringSince = null;
            LastFailure = result.Outcome;
        }
    }
}
