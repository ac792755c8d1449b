namespace InternetMonitor.Probe.Logging;

/// <summary>
/// Decides, for each check named by a key, which of its attempts the log speaks about: the first failure, a reminder
/// at most every <c>RepeatEvery</c> while it keeps failing, the recovery. A failure that starts within
/// <c>RepeatEvery</c> of the check's last line is folded: no line of its own, counted in the next one, so a check
/// that flaps writes about two lines per interval, not two per flap. Durations are on the monotonic clock; the
/// starts the lines name are the wall clock's. Thread-safe.
/// </summary>
public sealed class ChangeLog<TKey>(TimeProvider time, TimeSpan repeatEvery)
    where TKey : notnull
{
    private readonly Dictionary<TKey, State> _states = [];
    private readonly Lock _lock = new();

    /// <summary>A failed attempt of the check <paramref name="key"/>, for <paramref name="reason"/>.</summary>
    public ChangeLine Failed(TKey key, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var now = time.GetTimestamp();
        lock (_lock)
        {
            var state = StateOf(key);
            if (!state.Failing)
            {
                state.Failing = true;
                state.Announced = false;
                state.Started = now;
                state.Since = time.GetUtcNow();
                state.Attempts = 0;
            }

            state.Attempts++;
            state.Reason = reason;
            if (state.Announced)
            {
                return Due(state, now) ? Said(state, now, new ChangeLine(ChangeKind.StillFailing, reason,
                    state.SaidReason == reason ? null : state.SaidReason, state.Since, Elapsed(state.Started, now), state.Attempts, 0)) : ChangeLine.None;
            }

            if (Due(state, now))
            {
                state.Announced = true;
                var folded = state.Attempts > 1 ? state.Folded - 1 : state.Folded; // this failure's first attempt was folded
                state.Folded = 0;
                state.FoldedAttempts = 0;
                state.FoldedSince = null;
                return Said(state, now, new ChangeLine(ChangeKind.Failing, reason, null, state.Since, Elapsed(state.Started, now), state.Attempts, folded));
            }

            if (state.Attempts == 1)
            {
                state.Folded++;
                state.FoldedSince ??= state.Since;
            }

            state.FoldedAttempts++;
            return ChangeLine.None;
        }
    }

    /// <summary>A successful attempt of the check <paramref name="key"/>.</summary>
    public ChangeLine Succeeded(TKey key)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (!_states.TryGetValue(key, out var state))
            {
                return ChangeLine.None; // never failed: nothing to keep
            }

            if (state.Failing)
            {
                state.Failing = false;
                if (state.Announced)
                {
                    return Said(state, now, new ChangeLine(ChangeKind.Recovered, state.Reason, null, state.Since, Elapsed(state.Started, now), state.Attempts, 0));
                }
            }

            if (state.Folded > 0 && Due(state, now))
            {
                var line = new ChangeLine(ChangeKind.Flapped, state.Reason, null, state.FoldedSince ?? state.Since, Elapsed(state.LastLine!.Value, now), state.FoldedAttempts, state.Folded);
                state.Folded = 0;
                state.FoldedAttempts = 0;
                state.FoldedSince = null;
                return Said(state, now, line);
            }

            return ChangeLine.None;
        }
    }

    private State StateOf(TKey key)
    {
        if (!_states.TryGetValue(key, out var state))
        {
            _states[key] = state = new State();
        }

        return state;
    }

    private bool Due(State state, long now) => state.LastLine is not { } last || Elapsed(last, now) >= repeatEvery;

    private TimeSpan Elapsed(long from, long to) => time.GetElapsedTime(from, to);

    private static ChangeLine Said(State state, long now, ChangeLine line)
    {
        state.LastLine = now;
        state.SaidReason = line.Reason;
        return line;
    }

    /// <summary>One check: the failure going on (if any), the last line, and what was folded since.</summary>
    private sealed class State
    {
        public bool Failing { get; set; }

        /// <summary>The failure going on has had a line.</summary>
        public bool Announced { get; set; }

        public long Started { get; set; }

        public DateTimeOffset Since { get; set; }

        public int Attempts { get; set; }

        public string? Reason { get; set; }

        public long? LastLine { get; set; }

        public string? SaidReason { get; set; }

        public int Folded { get; set; }

        public int FoldedAttempts { get; set; }

        public DateTimeOffset? FoldedSince { get; set; }
    }
}
