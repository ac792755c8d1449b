using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Campaigns;

[Trait(Layer.Key, Layer.Unit)]
public sealed class CampaignBudgetTests
{
    private static readonly CampaignRules Rules = CampaignRuleBook.Find("bnetza")!;
    private static readonly DataBudgetState Fresh = new("2026-12-04", "2026-12-01", 0, 0, 0, 0);

    [Fact]
    public void A_campaign_within_both_budgets_or_with_none_is_not_refused()
    {
        // 10 + 24 runs of 100 MB a day: 3.4 GB of 5 GB; 30 runs: 3 GB of 20 GB.
        Assert.Null(CampaignBudget.Refuse(Rules, 100_000_000, "a test", 24, new DataBudgetOptions { Daily = 5_000_000_000, Monthly = 20_000_000_000 }, Fresh));
        Assert.Null(CampaignBudget.Refuse(Rules, 3_000_000_000, "a test", 24, new DataBudgetOptions(), Fresh));
    }

    [Fact]
    public void A_day_of_campaign_and_schedule_above_the_daily_budget_is_refused_with_the_figures()
    {
        var why = CampaignBudget.Refuse(Rules, 250_000_000, "the median of the last 10 speed tests", 24, new DataBudgetOptions { Daily = 5_000_000_000 }, Fresh);

        Assert.Equal(
            "a campaign day takes 10 speed tests of about 250.0 MB each (the median of the last 10 speed tests) besides the schedule's 24: 8.50 GB a day, more than Monitor:SpeedTest:Budget:Daily (5.00 GB); raise it, lower Monitor:SpeedTest:MaxBytes, or run the schedule less often (Monitor:SpeedTest:Interval)",
            why);
    }

    [Fact]
    public void Thirty_runs_above_what_the_month_has_left_are_refused()
    {
        var spent = Fresh with { MonthDownload = 15_000_000_000, MonthUpload = 2_000_000_000 };

        var why = CampaignBudget.Refuse(Rules, 200_000_000, "a test", 0, new DataBudgetOptions { Monthly = 20_000_000_000 }, spent);

        Assert.Equal(
            "the campaign's 30 speed tests of about 200.0 MB each (a test) need 6.00 GB, and Monitor:SpeedTest:Budget:Monthly has 3.00 GB left this month; raise it, lower Monitor:SpeedTest:MaxBytes, or start the campaign in the next billing month",
            why);
    }
}
