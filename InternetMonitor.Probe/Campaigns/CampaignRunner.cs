using System.Globalization;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Plan;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Probe.Report;
using InternetMonitor.Probe.Scheduling;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Campaigns;

/// <summary>
/// Runs the measurement campaign under way: asks the planner what is next, waits for it (a minute at a time, so that a
/// clock step is seen), skips a try during an outage, and runs the speed test as the schedule would (its budget, its
/// gate: never two at once), its result kept in the history with the campaign's id. One campaign at a time; it is kept
/// in the history as it starts and ends, and a restarted probe takes it up again from the tries the history holds.
/// </summary>
public sealed partial class CampaignRunner(
    HistoryReader reader,
    HistoryWriter writer,
    SpeedTestJob job,
    JobScheduler scheduler,
    DataBudget budget,
    IConnectivity connectivity,
    IOptions<SpeedTestOptions> speedTest,
    IOptions<PlanOptions> plan,
    IOptions<ReportOptions> report,
    TimeProvider time,
    ILogger<CampaignRunner> logger) : BackgroundService
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private readonly List<CampaignAttempt> _tries = [];
    private CampaignRecord? _current;
    private CancellationTokenSource _wake = new();

    /// <summary>Starts a campaign by <paramref name="rulesId"/>'s rules now, unless one runs or it cannot (the message says why).</summary>
    public async Task<CampaignStart> StartAsync(string rulesId)
    {
        if (CampaignRuleBook.Find(rulesId) is not { } rules)
        {
            return CampaignStart.Refused(CampaignStartOutcome.UnknownRules, $"rules must be one of: {string.Join(", ", CampaignRuleBook.All.Keys)} (got {Hosting.ClientText.Quote(rulesId)})");
        }

        if (!speedTest.Value.Enabled)
        {
            return CampaignStart.Refused(CampaignStartOutcome.Refused, "the speed test is off (Monitor:SpeedTest:Enabled=false): a campaign is made of speed tests");
        }

        if (!writer.Enabled)
        {
            return CampaignStart.Refused(CampaignStartOutcome.Refused, "the history is off (Monitor:History:Enabled=false): a campaign's measurements are kept there");
        }

        var (runBytes, from) = RunEstimate();
        var scheduled = (int)Math.Ceiling(TimeSpan.FromDays(1) / speedTest.Value.Interval);
        if (CampaignBudget.Refuse(rules, runBytes, from, scheduled, speedTest.Value.Budget, budget.State) is { } why)
        {
            return CampaignStart.Refused(CampaignStartOutcome.Refused, "the campaign does not fit in the data budget: " + why);
        }

        var now = time.GetUtcNow();
        CampaignRecord campaign;
        lock (_lock)
        {
            if (_current is { } running)
            {
                return CampaignStart.Refused(CampaignStartOutcome.Busy, $"a campaign is running ({running.Id}, since {running.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC): cancel it first (DELETE /api/campaigns/current)");
            }

            campaign = new CampaignRecord(
                string.Create(CultureInfo.InvariantCulture, $"{rules.Id}-{now.UtcDateTime:yyyyMMdd-HHmmss}"), rules.Id, now, report.Value.ZoneName(), report.Value.Wired, CampaignPlan.Of(plan.Value));
            _current = campaign;
            _tries.Clear();
        }

        if (await writer.CommitAsync(new CampaignStartRow(campaign)).ConfigureAwait(false) == HistoryCommit.Dropped)
        {
            lock (_lock)
            {
                _current = null;
            }

            return CampaignStart.Refused(CampaignStartOutcome.Refused, "the history could not keep the campaign (see the probe's log)");
        }

        LogStarted(logger, campaign.Id, rules.Name, campaign.TimeZone);
        Wake();
        return new CampaignStart(CampaignStartOutcome.Started, Status(), null);
    }

    /// <summary>Ends the campaign under way as cancelled; null when none runs.</summary>
    public async Task<CampaignStatus?> CancelAsync()
    {
        CampaignStatus? status;
        CampaignRecord? ended;
        lock (_lock)
        {
            status = Status();
            ended = _current is { } running ? running with { EndedAt = time.GetUtcNow(), Outcome = "cancelled", Detail = "cancelled by the user" } : null;
            _current = null;
        }

        if (ended is null || status is null)
        {
            return null;
        }

        await writer.CommitAsync(new CampaignEndRow(ended.Id, ended.EndedAt!.Value, ended.Outcome!, ended.Detail!)).ConfigureAwait(false);
        LogEnded(logger, ended.Id, "cancelled", ended.Detail!);
        Wake();
        return status with { State = "cancelled", EndedAt = ended.EndedAt, Detail = ended.Detail, Next = null, Planned = [] };
    }

    /// <summary>The campaign under way, or null.</summary>
    public CampaignStatus? Status()
    {
        CampaignRecord? campaign;
        CampaignAttempt[] tries;
        lock (_lock)
        {
            (campaign, tries) = (_current, [.. _tries]);
        }

        if (campaign is null)
        {
            return null;
        }

        var status = Describe(campaign, tries, time.GetUtcNow()); // outside the lock: the runner's loop does not wait for it
        return speedTest.Value.Enabled ? status : status with { Next = null, Planned = [], Detail = "waiting: the speed test is off (Monitor:SpeedTest:Enabled=false)" };
    }

    /// <summary>A campaign described from its tries: where it stands and its verdict so far.</summary>
    public static CampaignStatus Describe(CampaignRecord campaign, IReadOnlyList<CampaignAttempt> tries, DateTimeOffset now, IReadOnlyList<CampaignMeasurement>? measurements = null)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(tries);
        var rules = CampaignRuleBook.Find(campaign.Rules) ?? CampaignRuleBook.Find(CampaignRuleBook.DefaultRules)!;
        var zone = CampaignMeasurements.Zone(campaign.TimeZone);
        var step = CampaignPlanner.Next(rules, campaign.StartedAt, zone, tries, now);
        measurements ??= [.. tries.Where(attempt => attempt.Measured).Select(attempt => new CampaignMeasurement(attempt.At, CampaignMeasurements.Day(attempt.At, zone), attempt.DownloadMbps, attempt.UploadMbps))];
        var verdict = CampaignJudge.Judge(rules, campaign.Plan.ToOptions(), measurements);
        var state = campaign.Outcome ?? (campaign.Running ? "running" : "completed");
        var running = campaign.Running && step.Action == CampaignStep.Measure;
        return new CampaignStatus(
            campaign.Id, rules.Id, rules.Name, campaign.StartedAt, campaign.TimeZone, campaign.Wired, state, campaign.EndedAt, campaign.Detail,
            Math.Min(step.DayNumber, rules.Days), rules.Days, rules.PerDay, verdict.Measurements, rules.Measurements, tries.Count(attempt => !attempt.Measured),
            step.CompleteDays, running ? step.Due : null, running ? step.Planned : [], step.LastDay, verdict);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Resume();
        if (!speedTest.Value.Enabled)
        {
            // A campaign the history holds as running waits, shown as it stands, until a start with the speed test on.
            if (Status() is { } waiting)
            {
                LogWaiting(logger, waiting.Id);
            }

            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            CampaignRecord? campaign;
            CampaignAttempt[] tries;
            CancellationToken wake;
            lock (_lock)
            {
                (campaign, tries, wake) = (_current, [.. _tries], _wake.Token);
            }

            using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, wake);
            try
            {
                if (campaign is null)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, time, either.Token).ConfigureAwait(false);
                    continue;
                }

                var rules = CampaignRuleBook.Find(campaign.Rules)!;
                var now = time.GetUtcNow();
                var step = CampaignPlanner.Next(rules, campaign.StartedAt, CampaignMeasurements.Zone(campaign.TimeZone), tries, now);
                if (step.Action != CampaignStep.Measure)
                {
                    await EndAsync(campaign, step).ConfigureAwait(false);
                    continue;
                }

                if (step.Due > now)
                {
                    var wait = step.Due.Value - now;
                    await Task.Delay(wait < LongestWait ? wait : LongestWait, time, either.Token).ConfigureAwait(false);
                    continue;
                }

                var attempt = await TryAsync(campaign, either.Token).ConfigureAwait(false);
                attempt = attempt with { At = DateTimeOffset.FromUnixTimeMilliseconds(attempt.At.ToUnixTimeMilliseconds()) }; // as the history keeps it: a restart plans the same
                lock (_lock)
                {
                    if (_current?.Id == campaign.Id)
                    {
                        _tries.Add(attempt);
                    }
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // woken: a campaign started or was cancelled
            }
            catch (OperationCanceledException)
            {
                return;
            }
#pragma warning disable CA1031 // A campaign's bug must not stop the probe: it is logged and the campaign goes on a minute later.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogFailed(logger, exception);
                try
                {
                    await Task.Delay(LongestWait, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One try: skipped during an outage, else a speed test holding the job's gate.</summary>
    private async Task<CampaignAttempt> TryAsync(CampaignRecord campaign, CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow();
        if (connectivity.State == ConnectivityState.Down)
        {
            LogSkipped(logger, campaign.Id, "the internet is down");
            return new CampaignAttempt(start, false, "outage");
        }

        var (outcome, result) = await scheduler.RunExclusiveAsync(SpeedTestJob.JobName, token => job.MeasureAsync(campaign.Id, token), cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            LogSkipped(logger, campaign.Id, outcome.SkipReason ?? "skipped");
            return new CampaignAttempt(start, false, outcome.SkipReason);
        }

        if (!result.Succeeded)
        {
            LogSkipped(logger, campaign.Id, "the speed test failed: " + result.Reason);
            return new CampaignAttempt(result.Start, false, result.Reason);
        }

        return new CampaignAttempt(result.Start, true, null, Mbps(result.Download), Mbps(result.Upload));
    }

    private static double Mbps(DirectionResult? direction) => direction?.BytesPerSecond is { } bytes ? bytes * 8 / 1e6 : 0;

    private async Task EndAsync(CampaignRecord campaign, CampaignStep step)
    {
        var outcome = step.Action == CampaignStep.Completed ? "completed" : "expired";
        var detail = step.Why ?? string.Create(CultureInfo.InvariantCulture, $"{step.CompleteDays.Count} measurement days complete: {string.Join(", ", step.CompleteDays.Select(day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}");
        await writer.CommitAsync(new CampaignEndRow(campaign.Id, time.GetUtcNow(), outcome, detail)).ConfigureAwait(false);
        lock (_lock)
        {
            if (_current?.Id == campaign.Id)
            {
                _current = null;
            }
        }

        LogEnded(logger, campaign.Id, outcome, detail);
    }

    /// <summary>Takes up the campaign the history holds as running, with its tries (those that reached a speed test).</summary>
    private void Resume()
    {
        try
        {
            if (reader.Campaigns().FirstOrDefault(campaign => campaign.Running) is not { } campaign)
            {
                return;
            }

            using var tests = reader.SpeedTests(campaign.StartedAt, time.GetUtcNow().AddMinutes(1), int.MaxValue);
            var tries = CampaignMeasurements.Tries(campaign, tests);
            lock (_lock)
            {
                _current = campaign;
                _tries.AddRange(tries);
            }

            LogResumed(logger, campaign.Id, tries.Count(attempt => attempt.Measured));
        }
        catch (HistoryException exception)
        {
            LogNotResumed(logger, exception.Message);
        }
    }

    /// <summary>A run's expected bytes: the median of the last successful speed tests of 30 days, else the most a run may use.</summary>
    private (long Bytes, string From) RunEstimate()
    {
        var now = time.GetUtcNow();
        try
        {
            using var tests = reader.SpeedTests(now.AddDays(-30), now, int.MaxValue);
            var recent = tests.Where(test => test.Result == "success").Select(test => test.DownloadBytes + test.UploadBytes).TakeLast(10).Order().ToList();
            if (recent.Count > 0)
            {
                return (recent[recent.Count / 2], string.Create(CultureInfo.InvariantCulture, $"the median of the last {recent.Count} speed tests"));
            }
        }
        catch (HistoryException)
        {
            // no history to estimate from: the most a run may use
        }

        return (speedTest.Value.MaxBytes, "Monitor:SpeedTest:MaxBytes, with no speed test to estimate from");
    }

    private void Wake()
    {
        CancellationTokenSource old;
        lock (_lock)
        {
            old = _wake;
            _wake = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} started by the rules of {Rules}, its days counted in {Zone}")]
    private static partial void LogStarted(ILogger logger, string campaign, string rules, string zone);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} taken up again with {Measured} measurements")]
    private static partial void LogResumed(ILogger logger, string campaign, int measured);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign {Campaign} waits: the speed test is off (Monitor:SpeedTest:Enabled=false)")]
    private static partial void LogWaiting(ILogger logger, string campaign);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No campaign taken up: {Failure}")]
    private static partial void LogNotResumed(ILogger logger, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign}: a measurement not taken ({Why}); tried again later today")]
    private static partial void LogSkipped(ILogger logger, string campaign, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {Campaign} {Outcome}: {Detail}")]
    private static partial void LogEnded(ILogger logger, string campaign, string outcome, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "The campaign runner failed unexpectedly; it goes on in a minute")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>What became of a request to start a campaign.</summary>
public enum CampaignStartOutcome
{
    Started,
    Busy,
    UnknownRules,
    Refused,
}

/// <summary>A request to start a campaign: its status when started, else why not.</summary>
public sealed record CampaignStart(CampaignStartOutcome Outcome, CampaignStatus? Status, string? Problem)
{
    public static CampaignStart Refused(CampaignStartOutcome outcome, string problem) => new(outcome, null, problem);
}
