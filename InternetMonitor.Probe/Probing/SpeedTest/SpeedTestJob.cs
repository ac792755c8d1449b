using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// The scheduled speed test. Skipped while the internet is down (it would only measure the outage) and when the
/// run's byte cap no longer fits in the data budget; what a run used is charged to the budget before its result
/// is published.
/// </summary>
public sealed partial class SpeedTestJob(
    IOptions<SpeedTestOptions> options,
    IProber<SpeedTestPlan, SpeedTestResult> engine,
    ResultPublisher<SpeedTestResult> publisher,
    DataBudget budget,
    IConnectivity connectivity,
    ILogger<SpeedTestJob> logger) : IScheduledJob
{
    public const string JobName = "speedtest";
    private const string OutageReason = "outage";
    private const string BudgetReason = "budget";

    private readonly SpeedTestOptions _options = options.Value;

    public string Name => JobName;

    public bool Enabled => _options.Enabled;

    public JobSchedule Schedule => new(_options.Interval, _options.StartJitter);

    public IReadOnlyList<string> SkipReasons { get; } = [OutageReason, BudgetReason];

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken) => (await MeasureAsync(null, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <summary>
    /// One run as the schedule makes it, its result tagged with <paramref name="campaign"/> (a measurement campaign's, or
    /// null); the result is null when the run was skipped (an outage, the budget). The caller holds the job's gate.
    /// </summary>
    public async Task<(JobOutcome Outcome, SpeedTestResult? Result)> MeasureAsync(string? campaign, CancellationToken cancellationToken)
    {
        if (connectivity.State == ConnectivityState.Down)
        {
            LogSkippedOutage(logger);
            return (JobOutcome.Skipped(OutageReason), null);
        }

        // The run's cap is what the budget has left, at most MaxBytes: on a fast line a run would use up to MaxBytes,
        // on a metered one what its speed asks; a budget nearly spent still allows a run that fits, never one that crosses it.
        var limits = _options.Limits();
        var least = limits.SmallestRunBytes;
        var cap = Math.Min(limits.MaxBytes, budget.Left());
        if (cap < least && budget.Refuse(least) is { } why)
        {
            LogSkippedBudget(logger, why);
            return (JobOutcome.Skipped(BudgetReason), null);
        }

        // Rounds that finished are reported as they end, so that a run stopped half-way is still charged for them.
        var spent = new SpentBytes();
        SpeedTestResult result;
        try
        {
            result = await engine.ProbeAsync(new SpeedTestPlan(_options.CreateServer(), limits with { MaxBytes = cap }, spent), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            budget.Spend(spent.Download, spent.Upload);
            throw;
        }

        budget.Spend(result.BytesUsed(SpeedTestDirection.Download), result.BytesUsed(SpeedTestDirection.Upload));
        result = result with { Campaign = campaign };
        publisher.Publish(result);
        return (JobOutcome.From(result.Succeeded), result);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Speed test skipped: the internet is down")]
    private static partial void LogSkippedOutage(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Speed test skipped: it would cross {Why}")]
    private static partial void LogSkippedBudget(ILogger logger, string why);

    /// <summary>The bytes a run reported as used so far, by direction (reported synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class SpentBytes : IProgress<SpeedTestProgress>
    {
        public long Download { get; private set; }

        public long Upload { get; private set; }

        public void Report(SpeedTestProgress value)
        {
            switch (value.Phase)
            {
                case SpeedTestPhase.Download:
                    Download = Math.Max(Download, value.BytesUsed);
                    break;
                case SpeedTestPhase.Upload:
                    Upload = Math.Max(Upload, value.BytesUsed);
                    break;
            }
        }
    }
}
