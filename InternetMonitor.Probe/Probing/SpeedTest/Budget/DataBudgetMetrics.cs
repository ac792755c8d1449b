using Prometheus;

namespace InternetMonitor.Probe.Probing.SpeedTest.Budget;

public sealed class DataBudgetMetrics(IMetricFactory factory)
{
    private readonly Gauge _used = factory.CreateGauge(
        "internet_monitor_speedtest_budget_used_bytes",
        "Bytes used by scheduled speed tests in the current period (day: local calendar day; month: billing month).",
        ["period"]);

    private readonly Gauge _remaining = factory.CreateGauge(
        "internet_monitor_speedtest_budget_remaining_bytes",
        "Bytes left in the period's budget (only for a period with a cap, Monitor:SpeedTest:Budget:Daily or Monthly).",
        ["period"]);

    public void Update(DataBudgetOptions options, DataBudgetState state)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        _used.WithLabels("day").Set(state.DayTotal);
        _used.WithLabels("month").Set(state.MonthTotal);
        if (options.Daily > 0)
        {
            _remaining.WithLabels("day").Set(Math.Max(0, options.Daily - state.DayTotal));
        }

        if (options.Monthly > 0)
        {
            _remaining.WithLabels("month").Set(Math.Max(0, options.Monthly - state.MonthTotal));
        }
    }
}
