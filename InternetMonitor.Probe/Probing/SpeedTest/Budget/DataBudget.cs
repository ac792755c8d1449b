using System.Globalization;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

/// <summary>
/// The bytes scheduled speed tests may use per local calendar day and per billing month. A run's byte cap is what
/// is left of both (<see cref="Left"/>), at most <c>MaxBytes</c>, so that no run can cross a budget; what a run used
/// is added when it ends, by direction, and written to the state file at once. A period is named by the wall clock and only ever moves forward:
/// a clock set back (an hour over midnight, or a start a year behind the state a Raspberry Pi without a real-time clock
/// kept) keeps counting in the period the state holds, so the budget is neither reset nor charged twice, until the
/// clock reaches a later period or a whole period has passed on the monotonic clock with the clock still behind (so
/// that a clock that once ran years ahead cannot hold a spent budget for years). See docs/time.md.
/// </summary>
public sealed class DataBudget
{
    private readonly DataBudgetOptions _options;
    private readonly DataBudgetStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly DataBudgetMetrics _metrics;
    private readonly Lock _lock = new();
    private DataBudgetState _state;

    // Monotonic timestamps: since when the wall clock has been seen behind the state's day, and its billing month.
    private long? _dayBehindSince;
    private long? _monthBehindSince;

    public DataBudget(IOptions<SpeedTestOptions> options, DataBudgetStore store, TimeProvider timeProvider, DataBudgetMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        _options = options.Value.Budget;
        _store = store;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _state = Current(store.Load());
        _metrics.Update(_options, _state);
    }

    /// <summary>The bytes left in the day's and the month's budget, whichever is less; <see cref="long.MaxValue"/> with neither.</summary>
    public long Left()
    {
        lock (_lock)
        {
            _state = Current(_state);
            var left = long.MaxValue;
            if (_options.Daily > 0)
            {
                left = Math.Min(left, Math.Max(0, _options.Daily - _state.DayTotal));
            }

            if (_options.Monthly > 0)
            {
                left = Math.Min(left, Math.Max(0, _options.Monthly - _state.MonthTotal));
            }

            return left;
        }
    }

    /// <summary>Null when a run that may use <paramref name="runBytes"/> fits; otherwise why it does not.</summary>
    public string? Refuse(long runBytes)
    {
        lock (_lock)
        {
            _state = Current(_state);
            _metrics.Update(_options, _state);
            if (_options.Daily > 0 && _state.DayTotal + runBytes > _options.Daily)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the daily budget: {_state.DayTotal} of {_options.Daily} bytes used, a run may use {runBytes}");
            }

            if (_options.Monthly > 0 && _state.MonthTotal + runBytes > _options.Monthly)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the monthly budget: {_state.MonthTotal} of {_options.Monthly} bytes used since {_state.MonthStart}, a run may use {runBytes}");
            }

            return null;
        }
    }

    public void Spend(long download, long upload)
    {
        lock (_lock)
        {
            var state = Current(_state);
            _state = state with
            {
                DayDownload = state.DayDownload + download,
                DayUpload = state.DayUpload + upload,
                MonthDownload = state.MonthDownload + download,
                MonthUpload = state.MonthUpload + upload,
            };
            _store.Save(_state);
            _metrics.Update(_options, _state);
        }
    }

    public DataBudgetState State
    {
        get
        {
            lock (_lock)
            {
                return _state = Current(_state);
            }
        }
    }

    /// <summary>
    /// The state for today: counts of a past day or billing month start again from zero. A day or month before the
    /// state's (the clock set back) is not a new period: the state's goes on, until a day (a billing month) of monotonic
    /// time has passed with the clock still behind it.
    /// </summary>
    private DataBudgetState Current(DataBudgetState? state)
    {
        var today = DateOnly.FromDateTime(_timeProvider.GetLocalNow().DateTime);
        var monthStart = MonthStart(today, _options.MonthStartDay);
        var day = Name(today);
        var month = Name(monthStart);
        state ??= new DataBudgetState(day, month, 0, 0, 0, 0);
        if (Moves(state.Day, today, TimeSpan.FromDays(1), ref _dayBehindSince))
        {
            state = state with { Day = day, DayDownload = 0, DayUpload = 0 };
        }

        var held = TryParse(state.MonthStart) is { } heldStart ? heldStart.AddMonths(1).DayNumber - heldStart.DayNumber : 31;
        if (Moves(state.MonthStart, monthStart, TimeSpan.FromDays(held), ref _monthBehindSince))
        {
            state = state with { MonthStart = month, MonthDownload = 0, MonthUpload = 0 };
        }

        return state;
    }

    /// <summary>
    /// Whether the period named <paramref name="held"/> gives way to the one holding <paramref name="now"/>: a later one
    /// (or a name that cannot be read), yes; the same, no; an earlier one, only once <paramref name="length"/> has passed
    /// on the monotonic clock since the clock was first seen behind.
    /// </summary>
    private bool Moves(string held, DateOnly now, TimeSpan length, ref long? behindSince)
    {
        if (TryParse(held) is not { } heldDate || now > heldDate)
        {
            behindSince = null;
            return true;
        }

        if (now == heldDate)
        {
            behindSince = null;
            return false;
        }

        behindSince ??= _timeProvider.GetTimestamp();
        if (_timeProvider.GetElapsedTime(behindSince.Value) < length)
        {
            return false;
        }

        behindSince = null;
        return true;
    }

    private static string Name(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? TryParse(string name) =>
        DateOnly.TryParseExact(name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

    /// <summary>The first day of the billing month that holds <paramref name="date"/>.</summary>
    public static DateOnly MonthStart(DateOnly date, int startDay)
    {
        var start = new DateOnly(date.Year, date.Month, startDay);
        return date >= start ? start : start.AddMonths(-1);
    }
}
