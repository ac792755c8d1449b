using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Campaigns;

/// <summary>
/// The Bundesnetzagentur's campaign played out on a fake clock: the planner is asked what is next, the clock is set to
/// it, the try succeeds unless an outage covers it, until the campaign ends. A fixed UTC+1 zone (no tz database needed).
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class CampaignPlannerTests
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.CreateCustomTimeZone("Test+1", TimeSpan.FromHours(1), "Test+1", "Test+1");
    private static readonly CampaignRules Rules = CampaignRuleBook.Find("bnetza")!;

    private static DateTimeOffset Local(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.FromHours(1));

    /// <summary>Runs the campaign from <paramref name="start"/>; a try in one of <paramref name="outages"/> fails. Returns the tries and the last step.</summary>
    private static (List<CampaignAttempt> Tries, CampaignStep Last) Play(DateTimeOffset start, params (DateTimeOffset From, DateTimeOffset To)[] outages)
    {
        var tries = new List<CampaignAttempt>();
        var now = start;
        for (var steps = 0; steps < 2000; steps++)
        {
            var step = CampaignPlanner.Next(Rules, start, Zone, tries, now);
            if (step.Action != CampaignStep.Measure)
            {
                return (tries, step);
            }

            Assert.True(step.Due >= now, $"due {step.Due} before now {now}");
            now = step.Due!.Value;
            var down = outages.Any(outage => now >= outage.From && now < outage.To);
            tries.Add(new CampaignAttempt(now, !down, down ? "outage" : null));
            now += TimeSpan.FromSeconds(30); // a run's length
        }

        throw new InvalidOperationException("the campaign did not end in 2000 steps");
    }

    private static List<IGrouping<DateOnly, CampaignAttempt>> MeasuredByDay(List<CampaignAttempt> tries) =>
        [.. tries.Where(attempt => attempt.Measured).GroupBy(attempt => DateOnly.FromDateTime(attempt.At.ToOffset(TimeSpan.FromHours(1)).DateTime))];

    [Fact]
    public void Thirty_measurements_on_three_days_within_fourteen_with_a_free_day_between_and_the_spacing_kept()
    {
        var (tries, last) = Play(Local(1, 10));

        Assert.Equal(CampaignStep.Completed, last.Action);
        Assert.Equal(30, tries.Count);
        var days = MeasuredByDay(tries);
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 5)], days.Select(day => day.Key));
        Assert.All(days, day => Assert.Equal(10, day.Count()));
        Assert.Equal(days.Select(day => day.Key), last.CompleteDays);
        foreach (var day in days)
        {
            var times = day.Select(attempt => attempt.At).ToList();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromMinutes(5)));
            Assert.True(times[5] - times[4] >= TimeSpan.FromHours(3), "3 hours between the 5th and 6th");
            Assert.All(times, time => Assert.InRange(time.ToOffset(TimeSpan.FromHours(1)).TimeOfDay, TimeSpan.FromHours(8), TimeSpan.FromHours(23)));
        }

        // The first day from now (10:00) to 23:00, the others 08:00 to 23:00: 90 minutes apart, 3 hours at the pause.
        Assert.Equal(
            [Local(3, 8), Local(3, 9, 30), Local(3, 11), Local(3, 12, 30), Local(3, 14), Local(3, 17), Local(3, 18, 30), Local(3, 20), Local(3, 21, 30), Local(3, 23)],
            days[1].Select(attempt => attempt.At));
        Assert.Equal(Local(1, 10), days[0].First().At);
        Assert.Equal(Local(1, 23), days[0].Last().At);
    }

    [Fact]
    public void A_campaign_started_too_late_in_the_evening_begins_the_next_morning()
    {
        var step = CampaignPlanner.Next(Rules, Local(1, 22), Zone, [], Local(1, 22));

        Assert.Equal(CampaignStep.Measure, step.Action);
        Assert.Equal(Local(2, 8), step.Due);
        Assert.Equal(new DateOnly(2026, 12, 14), step.LastDay);
        Assert.Equal(10, step.Planned.Count);
    }

    [Fact]
    public void An_outage_in_the_middle_of_a_day_is_retried_every_fifteen_minutes_and_pushes_the_rest_later_that_day()
    {
        var (tries, last) = Play(Local(1, 10), (Local(3, 10, 50), Local(3, 11, 40)));

        Assert.Equal(CampaignStep.Completed, last.Action);
        var third = tries.Where(attempt => attempt.At.Day == 3).ToList();
        var failed = third.Where(attempt => !attempt.Measured).Select(attempt => attempt.At).ToList();
        Assert.Equal([Local(3, 11), Local(3, 11, 15), Local(3, 11, 30)], failed); // the 11:00 slot, then every 15 minutes
        var measured = third.Where(attempt => attempt.Measured).Select(attempt => attempt.At).ToList();
        Assert.Equal(10, measured.Count); // still ten that day
        Assert.Equal(Local(3, 11, 45), measured[2]);
        Assert.Equal(Local(3, 12, 30), measured[3]); // the plan's next slot was not yet passed
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3), new DateOnly(2026, 12, 5)], MeasuredByDay(tries).Select(day => day.Key));
    }

    [Fact]
    public void A_day_an_outage_takes_whole_is_void_and_the_next_day_measures_instead()
    {
        var (tries, last) = Play(Local(1, 10), (Local(3, 0), Local(4, 0)));

        Assert.Equal(CampaignStep.Completed, last.Action);
        Assert.Equal([new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 4), new DateOnly(2026, 12, 6)], last.CompleteDays);
        Assert.Contains(tries, attempt => attempt.At.Day == 3 && !attempt.Measured);
        Assert.DoesNotContain(tries, attempt => attempt.At.Day == 3 && attempt.Measured);
        Assert.Equal(30, tries.Count(attempt => attempt.Measured && attempt.At.Day != 3));
    }

    [Fact]
    public void A_campaign_whose_days_no_longer_fit_in_fourteen_expires_and_says_why()
    {
        var (tries, last) = Play(Local(1, 10), (Local(2, 0), Local(15, 0)));

        Assert.Equal(CampaignStep.Expired, last.Action);
        Assert.Equal([new DateOnly(2026, 12, 1)], last.CompleteDays);
        Assert.Equal("1 of 3 measurement days complete, and the 2 still needed (with 1 free day between) no longer fit by 2026-12-14, 14 days from the first", last.Why);
        Assert.Equal(10, tries.Count(attempt => attempt.Measured));
    }

    [Fact]
    public void A_restarted_probe_plans_the_same_from_the_tries_the_history_holds()
    {
        var (tries, _) = Play(Local(1, 10));
        var kept = tries.Take(14).ToList(); // day 1's ten and day 3's first four

        var step = CampaignPlanner.Next(Rules, Local(1, 10), Zone, kept, Local(3, 13));

        Assert.Equal(tries[14].At, step.Due);
        Assert.Equal((2, 4), (step.DayNumber, step.MeasuredToday));
        Assert.Equal(tries.Skip(14).Take(6).Select(attempt => attempt.At), step.Planned);
    }

    [Fact]
    public void A_day_is_spread_evenly_with_the_pause_and_refused_when_it_cannot_hold_the_spacing()
    {
        var slots = CampaignPlanner.Spread(Rules, Local(1, 8), Local(1, 23))!;
        Assert.Equal(TimeSpan.FromMinutes(90), slots[1] - slots[0]);
        Assert.Equal(TimeSpan.FromHours(3), slots[5] - slots[4]);
        Assert.Equal(Local(1, 23), slots[^1]);

        Assert.Null(CampaignPlanner.Spread(Rules, Local(1, 22), Local(1, 23)));
    }
}
