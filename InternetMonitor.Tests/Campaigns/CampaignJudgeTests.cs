using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Campaigns;

/// <summary>
/// The Bundesnetzagentur's three criteria judged on crafted campaigns: 3 days of 10, a contract of 100/40 Mbit/s maximum,
/// 80/32 normally available, 50/20 minimum. Each criterion is passed and failed by one measurement, at its boundary.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class CampaignJudgeTests
{
    public static readonly PlanOptions Plan = new()
    {
        DownloadMbps = 100,
        UploadMbps = 40,
        DownloadNormalMbps = 80,
        UploadNormalMbps = 32,
        DownloadMinimumMbps = 50,
        UploadMinimumMbps = 20,
    };

    private static CampaignRules Rules => CampaignRuleBook.Find("bnetza")!;

    /// <summary>30 measurements, 10 on each of 1, 3 and 5 December, download 95 and upload 38 Mbit/s: every criterion met.</summary>
    public static List<CampaignMeasurement> Good(int days = 3, int perDay = 10)
    {
        var measurements = new List<CampaignMeasurement>();
        for (var day = 0; day < days; day++)
        {
            var date = new DateOnly(2026, 12, 1).AddDays(2 * day);
            for (var i = 0; i < perDay; i++)
            {
                var start = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero).AddMinutes(90 * i);
                measurements.Add(new CampaignMeasurement(start, date, 95, 38));
            }
        }

        return measurements;
    }

    /// <summary>The measurements with the <paramref name="index"/>th's download (0-based, in time order) set.</summary>
    public static List<CampaignMeasurement> WithDownload(List<CampaignMeasurement> measurements, double mbps, params int[] index)
    {
        foreach (var i in index)
        {
            measurements[i] = measurements[i] with { DownloadMbps = mbps };
        }

        return measurements;
    }

    private static CriterionVerdict Criterion(CampaignVerdict verdict, string id, string direction = "download") =>
        verdict.Criteria.Single(criterion => criterion.Criterion == id && criterion.Direction == direction);

    [Fact]
    public void A_line_that_delivers_meets_every_criterion_in_both_directions()
    {
        var verdict = CampaignJudge.Judge(Rules, Plan, Good());

        Assert.Equal(CampaignVerdict.NoDeviation, verdict.Outcome);
        Assert.True(verdict.Complete);
        Assert.Equal(30, verdict.Measurements);
        Assert.Equal(6, verdict.Criteria.Count);
        Assert.All(verdict.Criteria, criterion => Assert.Equal(CriterionVerdict.Met, criterion.Outcome));
        Assert.Equal(90, Criterion(verdict, "maximum").ThresholdMbps!.Value, 9);
        Assert.Equal(36, Criterion(verdict, "maximum", "upload").ThresholdMbps!.Value, 9);
        Assert.Equal("met: download reached 90 % of the maximum (100 Mbit/s), 90 Mbit/s, on 3 of 3 days; 2 days needed", Criterion(verdict, "maximum").Finding);
    }

    [Fact]
    public void Ninety_percent_of_the_maximum_exactly_reaches_it_and_one_day_short_of_two_fails()
    {
        // Every measurement at 85 (above the normal 80, below 90 % of 100); day 1's and day 2's best at exactly 90.
        var exactly = WithDownload(WithDownload(Good(), 85, [.. Enumerable.Range(0, 30)]), 90.0, 3, 13);
        var met = CampaignJudge.Judge(Rules, Plan, exactly);
        Assert.Equal(CriterionVerdict.Met, Criterion(met, "maximum").Outcome);
        Assert.Equal(2, Criterion(met, "maximum").Observed);

        // Day 2's best a hair below: only one day reaches 90 % of the maximum.
        var failed = CampaignJudge.Judge(Rules, Plan, WithDownload(exactly, 89.99, 13));
        var maximum = Criterion(failed, "maximum");
        Assert.Equal(CriterionVerdict.NotMet, maximum.Outcome);
        Assert.Equal((1, 2, 3), (maximum.Observed, maximum.Required, maximum.OutOf));
        Assert.Equal(CampaignVerdict.Deviation, failed.Outcome);
        Assert.Equal([90.0, 89.99, 85.0], maximum.Deciding.Select(measurement => measurement.DownloadMbps)); // each day's best
        Assert.Equal(CriterionVerdict.Met, Criterion(failed, "maximum", "upload").Outcome);
    }

    [Fact]
    public void The_normally_available_speed_in_exactly_27_of_30_meets_the_90_percent_share_and_26_does_not()
    {
        var three = WithDownload(Good(), 79.99, 0, 15, 29);
        var met = Criterion(CampaignJudge.Judge(Rules, Plan, three), "normal");
        Assert.Equal(CriterionVerdict.Met, met.Outcome);
        Assert.Equal((27, 27, 30), (met.Observed, met.Required, met.OutOf));

        var four = CampaignJudge.Judge(Rules, Plan, WithDownload(three, 79.99, 7));
        var failed = Criterion(four, "normal");
        Assert.Equal(CriterionVerdict.NotMet, failed.Outcome);
        Assert.Equal(26, failed.Observed);
        Assert.Equal(4, failed.Deciding.Count); // the measurements below it
        Assert.Equal("not met: download reached the normally available speed, 80 Mbit/s, in 26 of 30 measurements (86.7 %); 90 % needed", failed.Finding);
        Assert.Equal(CampaignVerdict.Deviation, four.Outcome);
    }

    [Fact]
    public void Exactly_the_minimum_is_not_below_it_and_below_it_on_two_days_fails()
    {
        var atMinimum = WithDownload(Good(), 50.0, 0, 10, 20);
        Assert.Equal(CriterionVerdict.Met, Criterion(CampaignJudge.Judge(Rules, Plan, atMinimum), "minimum").Outcome);

        var oneDay = CampaignJudge.Judge(Rules, Plan, WithDownload(Good(), 49.99, 4));
        Assert.Equal(CriterionVerdict.Met, Criterion(oneDay, "minimum").Outcome);
        Assert.Equal(1, Criterion(oneDay, "minimum").Observed);

        var twoDays = CampaignJudge.Judge(Rules, Plan, WithDownload(Good(), 49.99, 4, 25));
        var minimum = Criterion(twoDays, "minimum");
        Assert.Equal(CriterionVerdict.NotMet, minimum.Outcome);
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 5)], minimum.Deciding.Select(measurement => measurement.Day));
        Assert.Equal(CampaignVerdict.Deviation, twoDays.Outcome);
    }

    [Fact]
    public void Upload_is_judged_on_its_own_and_fails_the_line_alone()
    {
        var measurements = Good();
        measurements[2] = measurements[2] with { UploadMbps = 19 };
        measurements[22] = measurements[22] with { UploadMbps = 19 };
        var verdict = CampaignJudge.Judge(Rules, Plan, measurements);

        Assert.Equal(CriterionVerdict.NotMet, Criterion(verdict, "minimum", "upload").Outcome);
        Assert.Equal(CriterionVerdict.Met, Criterion(verdict, "minimum").Outcome);
        Assert.Equal(CampaignVerdict.Deviation, verdict.Outcome);
    }

    [Fact]
    public void A_speed_the_contract_does_not_state_leaves_its_criterion_unassessed_and_the_rest_judged()
    {
        var plan = new PlanOptions { DownloadMbps = 100, UploadMbps = 40 };
        var verdict = CampaignJudge.Judge(Rules, plan, Good());

        Assert.Equal(CriterionVerdict.NotAssessed, Criterion(verdict, "normal").Outcome);
        Assert.Null(Criterion(verdict, "normal").ThresholdMbps);
        Assert.Contains("Monitor:Plan", Criterion(verdict, "minimum").Finding, StringComparison.Ordinal);
        Assert.Equal(CriterionVerdict.Met, Criterion(verdict, "maximum").Outcome);
        Assert.Equal(CampaignVerdict.NoDeviation, verdict.Outcome);
        Assert.Equal(CampaignVerdict.Unassessed, CampaignJudge.Judge(Rules, new PlanOptions(), Good()).Outcome);
    }

    [Fact]
    public void Ten_measurements_make_a_day_and_nine_leave_the_campaign_incomplete()
    {
        Assert.True(CampaignJudge.Judge(Rules, Plan, Good()).Complete);

        var short1 = Good();
        short1.RemoveAt(29);
        var verdict = CampaignJudge.Judge(Rules, Plan, short1);
        Assert.False(verdict.Complete);
        Assert.Equal(CampaignVerdict.Incomplete, verdict.Outcome);
        Assert.Equal([10, 10, 9], verdict.Days.Select(day => day.Measurements));
        Assert.Equal(CampaignVerdict.Incomplete, CampaignJudge.Judge(Rules, Plan, Good(days: 2)).Outcome);
    }

    [Fact]
    public void A_fourth_measurement_day_is_not_judged()
    {
        var measurements = WithDownload(Good(days: 4), 10, [.. Enumerable.Range(30, 10)]);
        var verdict = CampaignJudge.Judge(Rules, Plan, measurements);

        Assert.Equal(CampaignVerdict.NoDeviation, verdict.Outcome);
        Assert.Equal(30, Criterion(verdict, "normal").OutOf);
    }

    [Fact]
    public void A_day_an_outage_left_short_is_void_and_the_whole_days_are_judged()
    {
        var measurements = Good();
        var voidDay = new DateOnly(2026, 12, 2);
        measurements.AddRange(Enumerable.Range(0, 4).Select(i => new CampaignMeasurement(new DateTimeOffset(2026, 12, 2, 8 + i, 0, 0, TimeSpan.Zero), voidDay, 10, 5)));
        var verdict = CampaignJudge.Judge(Rules, Plan, measurements);

        Assert.Equal(CampaignVerdict.NoDeviation, verdict.Outcome);
        Assert.Equal(30, verdict.Measurements);
        Assert.Equal(4, verdict.Days.Count); // listed, not judged
    }
}
