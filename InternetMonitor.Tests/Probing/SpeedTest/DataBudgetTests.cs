using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Probing.SpeedTest;

[Trait(Layer.Key, Layer.Unit)]
public sealed class DataBudgetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("im-budget-").FullName;
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("im-budget-victim-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 14, 22, 0, 0, TimeSpan.Zero));

    public DataBudgetTests() => _clock.SetLocalTimeZone(TimeZoneInfo.Utc);

    private string StatePath => Path.Combine(_folder, "budget.json");

    [Fact]
    public void A_run_is_refused_when_its_whole_cap_would_cross_the_daily_budget()
    {
        var budget = Budget(daily: 1_000, monthly: 0);

        Assert.Null(budget.Refuse(600));
        budget.Spend(300, 100);
        var refusal = budget.Refuse(601);

        Assert.NotNull(refusal);
        Assert.Contains("daily budget: 400 of 1000 bytes used", refusal, StringComparison.Ordinal);
        Assert.Null(budget.Refuse(600)); // exactly to the cap is allowed
    }

    [Fact]
    public void The_day_starts_again_at_midnight_and_the_month_on_its_billing_day()
    {
        var budget = Budget(daily: 1_000, monthly: 1_500, monthStartDay: 15);
        budget.Spend(900, 0);

        Assert.NotNull(budget.Refuse(200)); // 14 March, 22:00: 900 used today
        _clock.Advance(TimeSpan.FromHours(3)); // 15 March, 01:00: a new day and a new billing month
        Assert.Null(budget.Refuse(1_000));
        Assert.Equal(0, budget.State.DayTotal);
        Assert.Equal(0, budget.State.MonthTotal);
        budget.Spend(800, 0);
        _clock.Advance(TimeSpan.FromDays(1)); // 16 March: the day is new, the month is not
        var refusal = budget.Refuse(800);

        Assert.Contains("monthly budget: 800 of 1500 bytes used since 2026-03-15", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_set_back_an_hour_over_midnight_and_the_billing_day_neither_resets_the_budget_nor_counts_twice()
    {
        var clock = Utc(new DateTimeOffset(2026, 4, 1, 0, 30, 0, TimeSpan.Zero));
        var budget = Budget(daily: 1_000, monthly: 5_000, clock: clock);
        budget.Spend(600, 0);

        clock.Step(TimeSpan.FromHours(-1)); // 31 March, 23:30 by name: the day and the month the state holds go on
        Assert.Equal((600, 600), (budget.State.DayTotal, budget.State.MonthTotal));
        budget.Spend(100, 0);
        Assert.NotNull(budget.Refuse(301));
        clock.Advance(TimeSpan.FromMinutes(45)); // 1 April again by name: the same day, not a new one
        Assert.Equal((700, 700, "2026-04-01"), (budget.State.DayTotal, budget.State.MonthTotal, budget.State.Day));

        clock.Advance(TimeSpan.FromDays(1)); // 2 April: a new day, the month goes on
        Assert.Equal((0, 700), (budget.State.DayTotal, budget.State.MonthTotal));
    }

    [Fact]
    public void A_clock_set_forward_a_year_begins_a_new_day_and_month()
    {
        var clock = Utc(new DateTimeOffset(2025, 3, 14, 10, 0, 0, TimeSpan.Zero));
        var budget = Budget(daily: 1_000, monthly: 5_000, clock: clock);
        budget.Spend(600, 0);

        clock.Step(TimeSpan.FromDays(365));

        Assert.Null(budget.Refuse(1_000));
        Assert.Equal((0, 0, "2026-03-14"), (budget.State.DayTotal, budget.State.MonthTotal, budget.State.Day));
    }

    [Fact]
    public void A_start_with_a_clock_a_year_behind_the_state_keeps_counting_in_its_day_and_month()
    {
        Budget(daily: 1_000, monthly: 5_000).Spend(900, 0); // 14 March 2026, 22:00

        // Restarted on a clock a year behind (no real-time clock, NTP not answered yet): the budget is not lost.
        var clock = Utc(new DateTimeOffset(2025, 3, 14, 22, 30, 0, TimeSpan.Zero));
        var restarted = Budget(daily: 1_000, monthly: 5_000, clock: clock);
        Assert.Equal((900, 900, "2026-03-14"), (restarted.State.DayTotal, restarted.State.MonthTotal, restarted.State.Day));
        Assert.NotNull(restarted.Refuse(101));
        restarted.Spend(50, 0);

        clock.Step(TimeSpan.FromDays(365)); // NTP answers: the same day as the state's
        Assert.Equal((950, 950), (restarted.State.DayTotal, restarted.State.MonthTotal));
    }

    [Fact]
    public void A_clock_that_stays_behind_the_state_gives_way_after_a_whole_day_and_a_whole_billing_month()
    {
        Budget(daily: 1_000, monthly: 5_000).Spend(900, 0); // 14 March 2026: a state a clock that ran ahead once left
        var clock = Utc(new DateTimeOffset(2025, 3, 14, 22, 30, 0, TimeSpan.Zero));
        var budget = Budget(daily: 1_000, monthly: 5_000, clock: clock);
        Assert.Equal(900, budget.State.DayTotal);

        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(900, budget.State.DayTotal);
        clock.Advance(TimeSpan.FromHours(1)); // a day has passed, the clock still a year behind: a new day by its name
        Assert.Equal((0, 900, "2025-03-15"), (budget.State.DayTotal, budget.State.MonthTotal, budget.State.Day));

        clock.Advance(TimeSpan.FromDays(30)); // 31 days since: March 2026, the state's billing month, has passed
        Assert.Equal((0, "2025-04-01"), (budget.State.MonthTotal, budget.State.MonthStart));
    }

    [Fact]
    public void Billing_months_start_on_their_day_even_across_a_year()
    {
        Assert.Equal(new DateOnly(2026, 3, 15), DataBudget.MonthStart(new DateOnly(2026, 3, 15), 15));
        Assert.Equal(new DateOnly(2026, 2, 15), DataBudget.MonthStart(new DateOnly(2026, 3, 14), 15));
        Assert.Equal(new DateOnly(2025, 12, 28), DataBudget.MonthStart(new DateOnly(2026, 1, 3), 28));
        Assert.Equal(new DateOnly(2026, 1, 1), DataBudget.MonthStart(new DateOnly(2026, 1, 1), 1));
    }

    [Fact]
    public void What_was_spent_survives_a_restart()
    {
        Budget(daily: 1_000, monthly: 0).Spend(700, 200);

        var restarted = Budget(daily: 1_000, monthly: 0);

        Assert.Equal(700, restarted.State.DayDownload);
        Assert.Equal(200, restarted.State.DayUpload);
        Assert.NotNull(restarted.Refuse(101));
    }

    [Fact]
    public void An_unreadable_state_file_is_set_aside_and_counting_starts_again()
    {
        File.WriteAllText(StatePath, "{ this is not json");

        var budget = Budget(daily: 1_000, monthly: 0);

        Assert.Equal(0, budget.State.DayTotal);
        Assert.True(File.Exists(StatePath + ".unreadable"));
        budget.Spend(10, 0);
        Assert.Contains("\"dayDownload\": 10", File.ReadAllText(StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_file_that_cannot_be_written_keeps_the_counts_in_memory()
    {
        var blocked = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(blocked, "a file where a folder should be");
        var options = Options.Create(new SpeedTestOptions { Budget = new DataBudgetOptions { Daily = 1_000, StatePath = Path.Combine(blocked, "budget.json") } });
        var budget = new DataBudget(options, new DataBudgetStore(options.Value.Budget.StatePath, NullLogger<DataBudgetStore>.Instance), _clock, Metrics());

        budget.Spend(500, 0);

        Assert.Equal(500, budget.State.DayTotal);
        Assert.NotNull(budget.Refuse(501));
    }

    [Fact]
    public void A_state_file_planted_as_a_link_is_neither_read_nor_written_through_and_the_saved_file_is_owner_only()
    {
        var victim = Path.Combine(_elsewhere, "victim.json");
        var victimBytes = """{"day":"2026-03-14","monthStart":"2026-03-01","dayDownload":900,"dayUpload":0,"monthDownload":900,"monthUpload":0}"""u8.ToArray();
        File.WriteAllBytes(victim, victimBytes);
        File.CreateSymbolicLink(StatePath, victim);

        var budget = Budget(daily: 1_000, monthly: 0);
        budget.Spend(10, 0);

        Assert.Equal(10, budget.State.DayTotal); // the target's 900 bytes were not read as the probe's own
        Assert.Equal(victimBytes, File.ReadAllBytes(victim));
        Assert.Null(new FileInfo(StatePath).LinkTarget); // the link replaced by a file of the probe's own (a rename)
        Assert.Contains("\"dayDownload\": 10", File.ReadAllText(StatePath), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StatePath));
    }

    [Fact]
    public void A_temporary_file_planted_as_a_link_is_not_written_through()
    {
        var victim = Path.Combine(_elsewhere, "victim");
        File.WriteAllText(victim, "the system's own");
        File.CreateSymbolicLink(StatePath + ".tmp", victim);

        var budget = Budget(daily: 1_000, monthly: 0);
        budget.Spend(20, 0);

        Assert.Equal("the system's own", File.ReadAllText(victim));
        Assert.False(Path.Exists(StatePath + ".tmp"));
        Assert.Equal(20, Budget(daily: 1_000, monthly: 0).State.DayDownload); // saved all the same
    }

    [Fact]
    public void The_folder_of_the_state_file_is_created_owner_only()
    {
        var path = Path.Combine(_folder, "data", "budget.json");
        var options = Options.Create(new SpeedTestOptions { Budget = new DataBudgetOptions { Daily = 1_000, StatePath = path } });
        new DataBudget(options, new DataBudgetStore(path, NullLogger<DataBudgetStore>.Instance), _clock, Metrics()).Spend(1, 0);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_folder, "data")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }

    private static JumpingClock Utc(DateTimeOffset start)
    {
        var clock = new JumpingClock(start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    private DataBudget Budget(long daily, long monthly, int monthStartDay = 1, TimeProvider? clock = null)
    {
        var options = Options.Create(new SpeedTestOptions { Budget = new DataBudgetOptions { Daily = daily, Monthly = monthly, MonthStartDay = monthStartDay, StatePath = StatePath } });
        return new DataBudget(options, new DataBudgetStore(StatePath, NullLogger<DataBudgetStore>.Instance), clock ?? _clock, Metrics());
    }

    private static DataBudgetMetrics Metrics() => new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
}
