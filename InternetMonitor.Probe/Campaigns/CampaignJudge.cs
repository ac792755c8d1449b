using System.Globalization;
using InternetMonitor.Probe.Plan;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// Judges a campaign's measurements by its rules' criteria, per direction, in the rules' own wording: a measurement
/// exactly at a threshold reaches it (and is not below it); a share is met when exactly that share reaches. Pure: the
/// report and the status page call it on what the history holds.
/// </summary>
public static class CampaignJudge
{
    private static readonly string[] Directions = ["download", "upload"];

    // A speed that is a threshold to the last bits per second (stored as a double, read back as Mbit/s) reaches it.
    private const double Tolerance = 1e-9;

    public static CampaignVerdict Judge(CampaignRules rules, PlanOptions plan, IReadOnlyList<CampaignMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(measurements);
        var byDay = measurements.OrderBy(measurement => measurement.StartedAt).GroupBy(measurement => measurement.Day).OrderBy(day => day.Key).ToList();
        var days = byDay.Select(day => new CampaignDay(day.Key, day.Count())).ToList();

        // The measurement days are the first days that hold a whole day's measurements; a day left short (an outage took
        // it: the planner measures on another day instead) is void. Until there are enough, the latest short days are
        // judged with them, so that a campaign under way shows where it stands.
        var whole = byDay.Where(day => day.Count() >= rules.PerDay).Take(rules.Days).ToList();
        var complete = whole.Count >= rules.Days;
        var judged = complete ? whole : [.. whole.Concat(byDay.Except(whole).OrderByDescending(day => day.Key).Take(rules.Days - whole.Count)).OrderBy(day => day.Key)];
        var criteria = new List<CriterionVerdict>();
        foreach (var direction in Directions)
        {
            var speeds = plan.Speeds(direction);
            foreach (var criterion in rules.Criteria)
            {
                criteria.Add(JudgeOne(criterion, direction, speeds, judged));
            }
        }

        var assessed = criteria.Where(verdict => verdict.Outcome != CriterionVerdict.NotAssessed).ToList();
        var outcome = assessed.Count == 0 ? CampaignVerdict.Unassessed
            : !complete ? CampaignVerdict.Incomplete
            : assessed.Any(verdict => verdict.Outcome == CriterionVerdict.NotMet) ? CampaignVerdict.Deviation
            : CampaignVerdict.NoDeviation;
        return new CampaignVerdict(rules.Id, outcome, complete, judged.Sum(day => day.Count()), rules.Measurements, days, criteria);
    }

    private static CriterionVerdict JudgeOne(CampaignCriterion criterion, string direction, PlanSpeeds speeds, List<IGrouping<DateOnly, CampaignMeasurement>> judged)
    {
        var speed = criterion.Speed switch
        {
            PlanSpeed.Normal => speeds.NormalMbps,
            PlanSpeed.Minimum => speeds.MinimumMbps,
            _ => speeds.MaximumMbps,
        };
        var name = criterion.Speed switch
        {
            PlanSpeed.Normal => "normally available speed",
            PlanSpeed.Minimum => "minimum",
            _ => "maximum",
        };
        if (speed <= 0)
        {
            return new CriterionVerdict(
                criterion.Id, direction, criterion.Kind, criterion.Wording, null, CriterionVerdict.NotAssessed, 0, 0, 0,
                $"not assessed: the contract's {direction} {name} is not set (Monitor:Plan)", []);
        }

        var threshold = speed * criterion.Factor;
        var of = criterion.Factor < 1 ? string.Create(CultureInfo.InvariantCulture, $"{criterion.Factor * 100:0.##} % of the {name} ({Mbps(speed)})") : $"the {name}";
        bool Reaches(CampaignMeasurement measurement) => CampaignJudge.Reaches(measurement.Mbps(direction), threshold);
        var dayCount = judged.Count;
        switch (criterion.Kind)
        {
            case CriterionKind.ReachOnDays:
                {
                    var best = judged.Select(day => day.MaxBy(measurement => measurement.Mbps(direction))!).ToList();
                    var reached = best.Count(Reaches);
                    var met = reached >= criterion.Days;
                    return Verdict(met, reached, criterion.Days, dayCount,
                        $"{direction} reached {of}, {Mbps(threshold)}, on {reached} of {dayCount} days; {Needed(criterion.Days, "days")}", best);
                }

            case CriterionKind.ReachInShare:
                {
                    var all = judged.SelectMany(day => day).ToList();
                    var reached = all.Count(Reaches);
                    var required = (int)Math.Ceiling((criterion.Share * all.Count) - Tolerance);
                    var met = all.Count > 0 && reached >= (criterion.Share * all.Count) - Tolerance;
                    return Verdict(met, reached, required, all.Count,
                        string.Create(CultureInfo.InvariantCulture, $"{direction} reached {of}, {Mbps(threshold)}, in {reached} of {all.Count} measurements ({Share(reached, all.Count)}); {criterion.Share * 100:0.##} % needed"),
                        [.. all.Where(measurement => !Reaches(measurement))]);
                }

            default:
                {
                    bool Below(CampaignMeasurement measurement) => !Reaches(measurement);
                    var lowest = judged.Where(day => day.Any(Below)).Select(day => day.MinBy(measurement => measurement.Mbps(direction))!).ToList();
                    var met = lowest.Count < criterion.Days;
                    return Verdict(met, lowest.Count, criterion.Days, dayCount,
                        $"{direction} fell below {of}, {Mbps(threshold)}, on {lowest.Count} of {dayCount} days; {criterion.Days} such days fail the line", lowest);
                }
        }

        CriterionVerdict Verdict(bool met, int observed, int required, int outOf, string finding, IReadOnlyList<CampaignMeasurement> deciding) => new(
            criterion.Id, direction, criterion.Kind, criterion.Wording, threshold, met ? CriterionVerdict.Met : CriterionVerdict.NotMet, observed, required, outOf,
            (met ? "met: " : "not met: ") + finding, deciding);
    }

    /// <summary>Whether <paramref name="mbps"/> reaches <paramref name="threshold"/> (and so is not below it): at it to the last bits per second counts.</summary>
    public static bool Reaches(double mbps, double threshold) => mbps >= threshold * (1 - Tolerance);

    private static string Needed(int count, string what) => string.Create(CultureInfo.InvariantCulture, $"{count} {what} needed");

    private static string Mbps(double value) => string.Create(CultureInfo.InvariantCulture, $"{value:0.##} Mbit/s");

    private static string Share(int part, int whole) => whole == 0 ? "none" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.#} %");
}
