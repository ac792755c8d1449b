using System.Globalization;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Probe.Probing.SpeedTest.Command;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// Whether a campaign fits in the speed test's data budget, checked before it starts: a campaign day's measurements
/// besides the schedule's runs of that day within the daily budget, and all its measurements within what the month has
/// left. A run's size is estimated from the recent speed tests (their median), else the most a run may use.
/// </summary>
public static class CampaignBudget
{
    /// <summary>Why <paramref name="rules"/> do not fit, or null when they do (or no budget is set).</summary>
    /// <param name="rules">The campaign's rules.</param>
    /// <param name="runBytes">The bytes one run is expected to use.</param>
    /// <param name="estimatedFrom">How <paramref name="runBytes"/> was found, for the message (e.g. "the median of the last 10 speed tests").</param>
    /// <param name="scheduledPerDay">The runs the regular schedule makes a day (0 when it is off).</param>
    /// <param name="budget">The budget's settings.</param>
    /// <param name="state">What the budget has counted so far.</param>
    public static string? Refuse(CampaignRules rules, long runBytes, string estimatedFrom, int scheduledPerDay, DataBudgetOptions budget, DataBudgetState state)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(state);
        var size = SpeedTestSummary.Bytes(runBytes);
        if (budget.Daily > 0)
        {
            var day = (rules.PerDay + (long)scheduledPerDay) * runBytes;
            if (day > budget.Daily)
            {
                return string.Create(CultureInfo.InvariantCulture, $"a campaign day takes {rules.PerDay} speed tests of about {size} each ({estimatedFrom}) besides the schedule's {scheduledPerDay}: {SpeedTestSummary.Bytes(day)} a day, more than Monitor:SpeedTest:Budget:Daily ({SpeedTestSummary.Bytes(budget.Daily)}); raise it, lower Monitor:SpeedTest:MaxBytes, or run the schedule less often (Monitor:SpeedTest:Interval)");
            }
        }

        if (budget.Monthly > 0)
        {
            var all = rules.Measurements * runBytes;
            var left = Math.Max(0, budget.Monthly - state.MonthTotal);
            if (all > left)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the campaign's {rules.Measurements} speed tests of about {size} each ({estimatedFrom}) need {SpeedTestSummary.Bytes(all)}, and Monitor:SpeedTest:Budget:Monthly has {SpeedTestSummary.Bytes(left)} left this month; raise it, lower Monitor:SpeedTest:MaxBytes, or start the campaign in the next billing month");
            }
        }

        return null;
    }
}
