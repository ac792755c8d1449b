using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using Prometheus;

namespace InternetMonitor.Tests.Probing.SpeedTest;

[Trait(Layer.Key, Layer.Unit)]
public sealed class SpeedTestJobTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("im-job-").FullName;
    private readonly IProber<SpeedTestPlan, SpeedTestResult> _engine = Substitute.For<IProber<SpeedTestPlan, SpeedTestResult>>();
    private readonly IRecorder<SpeedTestResult> _recorder = Substitute.For<IRecorder<SpeedTestResult>>();
    private readonly IConnectivity _connectivity = Substitute.For<IConnectivity>();

    [Fact]
    public async Task During_an_outage_the_run_is_skipped_without_measuring()
    {
        _connectivity.State.Returns(ConnectivityState.Down);

        var outcome = await Job(daily: 0).RunAsync(TestContext.Current.CancellationToken);

        Assert.Equal("outage", outcome.SkipReason);
        await _engine.DidNotReceive().ProbeAsync(Arg.Any<SpeedTestPlan>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_run_may_use_what_the_budget_has_left_at_most_max_bytes_and_none_starts_below_the_least_a_run_needs()
    {
        _connectivity.State.Returns(ConnectivityState.Up);
        var caps = new List<long>();
        _engine.ProbeAsync(Arg.Any<SpeedTestPlan>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var cap = call.Arg<SpeedTestPlan>().Limits.MaxBytes;
            caps.Add(cap);
            return Task.FromResult(Result(download: cap / 2, upload: cap / 2)); // a fast line: the run uses its whole cap
        });
        var job = Job(daily: 2_700_000); // MaxBytes 1 MB per run; the least a run needs: 100 kB x 3 each way

        var outcomes = new List<JobOutcome>();
        for (var i = 0; i < 4; i++)
        {
            outcomes.Add(await job.RunAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal([1_000_000, 1_000_000, 700_000], caps);
        Assert.Equal([null, null, null, "budget"], outcomes.Select(outcome => outcome.SkipReason));
        Assert.Equal(2_700_000, _budget!.State.DayTotal); // to the byte: no run crossed the budget
        _recorder.Received(3).Record(Arg.Any<SpeedTestResult>());
    }

    [Fact]
    public async Task Each_run_is_charged_only_what_it_used()
    {
        _connectivity.State.Returns(ConnectivityState.Up);
        _engine.ProbeAsync(Arg.Any<SpeedTestPlan>(), Arg.Any<CancellationToken>()).Returns(Result(download: 150_000, upload: 50_000));
        var job = Job(daily: 1_500_000); // MaxBytes 1 MB per run; what a run uses depends on the line's speed

        var outcomes = new List<JobOutcome>();
        for (var i = 0; i < 6; i++)
        {
            outcomes.Add(await job.RunAsync(TestContext.Current.CancellationToken));
        }

        // 0.2 MB a run: after five, 0.5 MB is left, less than the 0.6 MB the least run needs.
        Assert.Equal([null, null, null, null, null, "budget"], outcomes.Select(outcome => outcome.SkipReason));
        Assert.Equal(1_000_000, _budget!.State.DayTotal);
        await _engine.Received(3).ProbeAsync(Arg.Is<SpeedTestPlan>(plan => plan.Limits.MaxBytes == 1_000_000), Arg.Any<CancellationToken>());
        await _engine.Received(1).ProbeAsync(Arg.Is<SpeedTestPlan>(plan => plan.Limits.MaxBytes == 900_000), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_run_stopped_half_way_is_charged_for_the_rounds_it_finished()
    {
        _connectivity.State.Returns(ConnectivityState.Unknown);
        _engine.ProbeAsync(Arg.Any<SpeedTestPlan>(), Arg.Any<CancellationToken>()).Returns<Task<SpeedTestResult>>(call =>
        {
            var plan = call.Arg<SpeedTestPlan>();
            plan.Progress!.Report(new SpeedTestProgress(SpeedTestPhase.Download, 1e6, null, 300_000, 1, 100_000));
            throw new OperationCanceledException();
        });
        var job = Job(daily: 10_000_000);

        await Assert.ThrowsAsync<OperationCanceledException>(() => job.RunAsync(TestContext.Current.CancellationToken));

        Assert.Equal(300_000, _budget!.State.DayDownload);
        _recorder.DidNotReceiveWithAnyArgs().Record(default!);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private DataBudget? _budget;

    private SpeedTestJob Job(long daily)
    {
        var options = Options.Create(new SpeedTestOptions
        {
            MaxBytes = 1_000_000,
            Budget = new DataBudgetOptions { Daily = daily, StatePath = Path.Combine(_folder, "budget.json") },
        });
        _budget = new DataBudget(options, new DataBudgetStore(options.Value.Budget.StatePath, NullLogger<DataBudgetStore>.Instance), TimeProvider.System,
            new DataBudgetMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())));
        var publisher = new ResultPublisher<SpeedTestResult>([_recorder], NullLogger<ResultPublisher<SpeedTestResult>>.Instance);
        return new SpeedTestJob(options, _engine, publisher, _budget, _connectivity, NullLogger<SpeedTestJob>.Instance);
    }

    internal static SpeedTestResult Result(long download, long upload) => new(
        "test", SpeedTestServerType.Cloudflare, T0, T0.AddSeconds(10), new LatencySummary([TimeSpan.FromMilliseconds(10)]),
        new DirectionResult(SpeedTestDirection.Download, 1e6, [], download, 1, LatencySummary.None, null, null),
        new DirectionResult(SpeedTestDirection.Upload, 1e6, [], upload, 1, LatencySummary.None, null, null),
        null, null, null);
}
