using System.Globalization;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// Plans a campaign by its rules, as a pure function of its start, its time zone, the tries so far and now, so that the
/// runner, the status page and a restarted probe all get the same answer (docs/report.md#campaigns). A day's measurements
/// are spread evenly from the day's start (or, on the first day, from now) to its end, with the pause the rules ask after
/// the <see cref="CampaignRules.SplitAfter"/>th; a try that fails or is skipped (an outage, the budget) is tried again
/// <see cref="CampaignRules.RetryAfter"/> later and pushes the rest of the day back, keeping the spacing. A day that
/// cannot take its measurements before its end (plus an hour, never past midnight) is void: its tries stay in the history,
/// and the next measurement day begins the day after it. Measurement days keep <see cref="CampaignRules.GapDays"/>
/// free between them and all fall within <see cref="CampaignRules.WithinDays"/> of the first day.
/// </summary>
public static class CampaignPlanner
{
    /// <summary>How long after the day's last planned start a pushed measurement may still start.</summary>
    public static readonly TimeSpan LateStart = TimeSpan.FromHours(1);

    public static CampaignStep Next(CampaignRules rules, DateTimeOffset start, TimeZoneInfo zone, IReadOnlyList<CampaignAttempt> attempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(attempts);
        var firstDay = CampaignMeasurements.Day(start, zone);
        var lastDay = firstDay.AddDays(rules.WithinDays - 1);
        var byDay = attempts.OrderBy(attempt => attempt.At).GroupBy(attempt => CampaignMeasurements.Day(attempt.At, zone)).ToDictionary(day => day.Key, day => day.ToList());
        var complete = byDay.Where(day => day.Value.Count(attempt => attempt.Measured) >= rules.PerDay).Select(day => day.Key).Order().Take(rules.Days).ToList();
        if (complete.Count >= rules.Days)
        {
            return new CampaignStep(CampaignStep.Completed, null, null, rules.Days, 0, complete, [], lastDay);
        }

        var today = CampaignMeasurements.Day(now, zone);
        var earliest = complete.Count == 0 ? firstDay : complete[^1].AddDays(rules.GapDays + 1);
        var candidate = earliest > today ? earliest : today;
        while (true)
        {
            // The days still needed, each after its gap, must end by the window's last day.
            var needed = rules.Days - complete.Count;
            var lastNeeded = candidate.AddDays((needed - 1) * (rules.GapDays + 1));
            if (lastNeeded > lastDay)
            {
                var why = string.Create(CultureInfo.InvariantCulture, $"{complete.Count} of {rules.Days} measurement days complete, and the {needed} still needed (with {rules.GapDays} free day between) no longer fit by {lastDay:yyyy-MM-dd}, {rules.WithinDays} days from the first");
                return new CampaignStep(CampaignStep.Expired, null, null, complete.Count, 0, complete, [], lastDay, why);
            }

            var tries = byDay.TryGetValue(candidate, out var list) && !complete.Contains(candidate) ? list : [];
            if (DayPlan(rules, zone, candidate, tries, now) is { } planned)
            {
                var measured = tries.Count(attempt => attempt.Measured);
                return new CampaignStep(CampaignStep.Measure, planned[0], candidate, complete.Count + 1, measured, complete, planned, lastDay);
            }

            candidate = candidate.AddDays(1); // the day is void (or cannot start now): the next one
        }
    }

    /// <summary>
    /// The rest of <paramref name="day"/>'s measurements, the due one first, given its <paramref name="tries"/>; null when
    /// they no longer fit in it.
    /// </summary>
    private static List<DateTimeOffset>? DayPlan(CampaignRules rules, TimeZoneInfo zone, DateOnly day, List<CampaignAttempt> tries, DateTimeOffset now)
    {
        var dayStart = Instant(zone, day, rules.DayStart);
        var dayEnd = Instant(zone, day, rules.DayEnd);
        var latest = Min(dayEnd + LateStart, Instant(zone, day, new TimeOnly(23, 59)));
        var today = CampaignMeasurements.Day(now, zone) == day;

        // The window the day's plan spreads over: from its first try (a plan made once), else from the day's start, or
        // from now on a day already begun.
        var from = tries.Count > 0 ? tries[0].At : today && now > dayStart ? now : dayStart;
        if (tries.Count == 0 && now > latest)
        {
            return null;
        }

        var slots = Spread(rules, from, dayEnd);
        if (slots is null)
        {
            return null; // the day's rest is too short for its measurements at their spacing
        }

        var measured = tries.Where(attempt => attempt.Measured).ToList();
        var planned = new List<DateTimeOffset>();
        DateTimeOffset? previous = tries.Count > 0 ? tries[^1].At : null;
        var previousFailed = tries.Count > 0 && !tries[^1].Measured;
        DateTimeOffset? lastMeasured = measured.Count > 0 ? measured[^1].At : null;
        for (var index = measured.Count; index < rules.PerDay; index++)
        {
            var due = index == measured.Count ? Max(slots[index], now) : slots[index]; // the due one: never in the past
            if (previous is { } before)
            {
                due = Max(due, before + (previousFailed ? rules.RetryAfter : rules.MinSpacing));
            }

            if (rules.SplitAfter > 0 && index == rules.SplitAfter && lastMeasured is { } split)
            {
                due = Max(due, split + rules.SplitGap);
            }

            if (due > latest)
            {
                return null;
            }

            planned.Add(due);
            (previous, previousFailed, lastMeasured) = (due, false, due);
        }

        return planned;
    }

    /// <summary>
    /// <see cref="CampaignRules.PerDay"/> start times from <paramref name="from"/> to <paramref name="to"/>, evenly spaced,
    /// the pause after the <see cref="CampaignRules.SplitAfter"/>th at least <see cref="CampaignRules.SplitGap"/>; null when
    /// the spacing would fall below <see cref="CampaignRules.MinSpacing"/>.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset>? Spread(CampaignRules rules, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var count = rules.PerDay;
        if (count == 1)
        {
            return from <= to ? [from] : null;
        }

        var span = to - from;
        var even = span / (count - 1);
        var split = rules.SplitAfter > 0 && count > rules.SplitAfter && even < rules.SplitGap;
        var regular = split ? (count > 2 ? (span - rules.SplitGap) / (count - 2) : TimeSpan.Zero) : even;
        if (regular < rules.MinSpacing && !(split && count == 2 && span >= rules.SplitGap))
        {
            return null;
        }

        var slots = new List<DateTimeOffset>(count) { from };
        for (var index = 1; index < count; index++)
        {
            slots.Add(slots[^1] + (split && index == rules.SplitAfter ? rules.SplitGap : regular));
        }

        return slots;
    }

    /// <summary>The instant of local <paramref name="time"/> on <paramref name="day"/>; a time the clocks skip (spring forward) is taken an hour later.</summary>
    public static DateTimeOffset Instant(TimeZoneInfo zone, DateOnly day, TimeOnly time)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
