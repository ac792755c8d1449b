using System.Globalization;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

/// <summary>
/// The bytes scheduled speed tests may use per local calendar day and per billing month. A run is allowed only
/// when its whole byte cap (<c>MaxBytes</c>) still fits in both: what a run uses grows with the line's speed, and
/// MaxBytes is the most it can use, so that no run can cross a budget; what a run used is added when it ends, by
/// direction, and written to the state file at once.
/// </summary>
public sealed class DataBudget
{
    private readonly DataBudgetOptions _options;
    private readonly DataBudgetStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly DataBudgetMetrics _metrics;
    private readonly Lock _lock = new();
    private DataBudgetState _state;

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

    /// <summary>The state for today: counts of a past day or billing month start again from zero.</summary>
    private DataBudgetState Current(DataBudgetState? state)
    {
        var today = DateOnly.FromDateTime(_timeProvider.GetLocalNow().DateTime);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var month = MonthStart(today, _options.MonthStartDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        state ??= new DataBudgetState(day, month, 0, 0, 0, 0);
        if (state.Day != day)
        {
            state = state with { Day = day, DayDownload = 0, DayUpload = 0 };
        }

        if (state.MonthStart != month)
        {
            state = state with { MonthStart = month, MonthDownload = 0, MonthUpload = 0 };
        }

        return state;
    }

    /// <summary>The first day of the billing month that holds <paramref name="date"/>.</summary>
    public static DateOnly MonthStart(DateOnly date, int startDay)
    {
        var start = new DateOnly(date.Year, date.Month, startDay);
        return date >= start ? start : start.AddMonths(-1);
    }
}
