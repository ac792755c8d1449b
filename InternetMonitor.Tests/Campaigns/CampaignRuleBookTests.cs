using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Campaigns;

[Trait(Layer.Key, Layer.Unit)]
public sealed class CampaignRuleBookTests
{
    private const string Valid = """
        { "x": { "name": "X", "procedure": "p", "source": "s", "url": "", "days": 3, "perDay": 10, "withinDays": 14, "gapDays": 1,
          "minSpacing": "00:05:00", "splitAfter": 5, "splitGap": "03:00:00", "dayStart": "08:00:00", "dayEnd": "23:00:00",
          "retryAfter": "00:15:00", "wired": true,
          "criteria": [ { "id": "maximum", "kind": "reachOnDays", "speed": "maximum", "factor": 0.9, "days": 2, "wording": "w" } ] } }
        """;

    [Fact]
    public void The_shipped_rules_hold_the_Bundesnetzagenturs_campaign()
    {
        var rules = CampaignRuleBook.Find(CampaignRuleBook.DefaultRules);

        Assert.NotNull(rules);
        Assert.Equal((3, 10, 14, 1, 30), (rules.Days, rules.PerDay, rules.WithinDays, rules.GapDays, rules.Measurements));
        Assert.Equal(TimeSpan.FromMinutes(5), rules.MinSpacing);
        Assert.True(rules.Wired);
        Assert.Equal(
            [(CriterionKind.ReachOnDays, PlanSpeed.Maximum, 0.9), (CriterionKind.ReachInShare, PlanSpeed.Normal, 1.0), (CriterionKind.BelowOnDays, PlanSpeed.Minimum, 1.0)],
            rules.Criteria.Select(criterion => (criterion.Kind, criterion.Speed, criterion.Factor)));
        Assert.Null(CampaignRuleBook.Find("nowhere"));
    }

    [Fact]
    public void Another_regulators_rules_are_an_entry_of_data()
    {
        var rules = CampaignRuleBook.Parse(Valid)["x"];

        Assert.Equal("x", rules.Id);
        Assert.Equal(new TimeOnly(23, 0), rules.DayEnd);
    }

    [Theory]
    [InlineData("\"withinDays\": 14", "\"withinDays\": 4", "3 days with 1 free between them need 5 days, more than withinDays (4)")]
    [InlineData("\"factor\": 0.9", "\"factor\": 1.5", "criterion 'maximum': factor must be above 0 and at most 1")]
    [InlineData("\"days\": 2", "\"days\": 4", "criterion 'maximum': days must be 1 to 3")]
    [InlineData("\"dayEnd\": \"23:00:00\"", "\"dayEnd\": \"07:00:00\"", "dayEnd must be after dayStart")]
    [InlineData("\"dayEnd\": \"23:00:00\"", "\"dayEnd\": \"09:00:00\"", "cannot hold a day's measurements at their spacing")]
    [InlineData("\"perDay\": 10", "\"perDay\": 10, \"perWeek\": 3", "perWeek")]
    public void A_broken_entry_is_refused_with_its_key_and_what_is_wrong(string from, string to, string message)
    {
        var exception = Assert.ThrowsAny<Exception>(() => CampaignRuleBook.Parse(Valid.Replace(from, to, StringComparison.Ordinal)));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }
}
