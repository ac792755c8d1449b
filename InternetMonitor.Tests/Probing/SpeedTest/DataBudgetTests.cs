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

    private DataBudget Budget(long daily, long monthly, int monthStartDay = 1)
    {
        var options = Options.Create(new SpeedTestOptions { Budget = new DataBudgetOptions { Daily = daily, Monthly = monthly, MonthStartDay = monthStartDay, StatePath = StatePath } });
        return new DataBudget(options, new DataBudgetStore(StatePath, NullLogger<DataBudgetStore>.Instance), _clock, Metrics());
    }

    private static DataBudgetMetrics Metrics() => new(Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()));
}
