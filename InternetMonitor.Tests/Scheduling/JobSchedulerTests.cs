using System.Threading.Channels;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Scheduling;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prometheus;

namespace InternetMonitor.Tests.Scheduling;

[Trait(Layer.Key, Layer.Unit)]
public sealed class JobSchedulerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    [Fact]
    public async Task A_job_runs_after_its_start_jitter_and_then_every_interval()
    {
        var job = new RecordingJob("dns", new JobSchedule(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)), _clock);
        using var scheduler = Scheduler(job, new FixedRandom(0.5));

        // StartAsync plans the first runs before the clock moves.
        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var first = await job.NextStartAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        var second = await job.NextStartAsync();
        _clock.Advance(TimeSpan.FromSeconds(30));
        var third = await job.NextStartAsync();

        Assert.Equal(TimeSpan.FromSeconds(5), first - _start);
        Assert.Equal(TimeSpan.FromSeconds(30), second - first);
        Assert.Equal(TimeSpan.FromSeconds(30), third - second);
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_run_that_outlasts_its_interval_is_never_overlapped_and_the_missed_ticks_are_counted()
    {
        var job = new RecordingJob("http", new JobSchedule(TimeSpan.FromSeconds(10), TimeSpan.Zero), _clock) { Duration = TimeSpan.FromSeconds(25) };
        using var scheduler = Scheduler(job);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);

        var first = await job.NextStartAsync();
        await job.WaitUntilRunningAsync();
        _clock.Advance(TimeSpan.FromSeconds(25)); // the run ends at 25 s: the ticks at 10 s and 20 s were swallowed
        await WaitForAsync(async () =>
            (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_skipped_runs_total", ("check", "http"), ("reason", "overrun")) == 2);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var second = await job.NextStartAsync();

        Assert.Equal(TimeSpan.FromSeconds(30), second - first);
        Assert.Equal(1, job.MaxConcurrent);
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_run_on_demand_never_overlaps_a_run_and_comes_at_most_once_per_interval()
    {
        var job = new RecordingJob("speedtest", new JobSchedule(TimeSpan.FromHours(1), TimeSpan.Zero), _clock) { Duration = TimeSpan.FromSeconds(20) };
        using var scheduler = Scheduler(job);
        Assert.Equal(OnDemandOutcome.Off, scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5)).Outcome); // not started yet
        await scheduler.StartAsync(TestContext.Current.CancellationToken);

        // The scheduled run (due at once) is running: refused, with no second run.
        await job.NextStartAsync();
        await job.WaitUntilRunningAsync();
        Assert.Equal(OnDemandOutcome.Busy, scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5)).Outcome);
        _clock.Advance(TimeSpan.FromSeconds(20));
        await WaitForAsync(async () =>
            (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 1);

        // Free (once the run has let go of its gate, just after its metric): it starts now, counted as a run; a second
        // ask within 5 minutes is told when it may come.
        var started = await Poll.UntilAsync(
            () => Task.FromResult(scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5))),
            run => run.Outcome != OnDemandOutcome.Busy,
            "the on-demand run let in",
            Deadline,
            TimeSpan.FromMilliseconds(10));

        Assert.Equal((OnDemandOutcome.Started, _clock.GetUtcNow()), (started.Outcome, started.StartedAt!.Value));
        Assert.Equal(_clock.GetUtcNow(), await job.NextStartAsync());
        var again = scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5));
        Assert.Equal((OnDemandOutcome.TooSoon, TimeSpan.FromMinutes(5)), (again.Outcome, again.RetryAfter!.Value));
        await job.WaitUntilRunningAsync();
        _clock.Advance(TimeSpan.FromSeconds(20));
        await WaitForAsync(async () =>
            (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 2);
        Assert.Equal(1, job.MaxConcurrent);
        Assert.Equal(OnDemandOutcome.Off, scheduler.RunNow("dns", TimeSpan.FromMinutes(5)).Outcome); // no such job
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_job_that_throws_is_counted_as_failed_and_runs_again()
    {
        var job = new RecordingJob("dns", new JobSchedule(TimeSpan.FromSeconds(5), TimeSpan.Zero), _clock) { Throw = true };
        using var scheduler = Scheduler(job);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);

        await job.NextStartAsync();
        await WaitForAsync(async () => (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "dns"), ("outcome", "failure")) == 1);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await job.NextStartAsync();
        await WaitForAsync(async () => (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "dns"), ("outcome", "failure")) == 2);

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Null(metrics.Value("internet_monitor_last_success_timestamp_seconds", ("check", "dns")));
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_successful_run_sets_the_last_success_time()
    {
        var job = new RecordingJob("dns", new JobSchedule(TimeSpan.FromSeconds(5), TimeSpan.Zero), _clock);
        using var scheduler = Scheduler(job);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);

        await job.NextStartAsync();
        await WaitForAsync(async () => (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_last_success_timestamp_seconds", ("check", "dns")) is not null);

        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(_start.ToUnixTimeSeconds(), metrics.Value("internet_monitor_last_success_timestamp_seconds", ("check", "dns")));
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_skipped_run_is_counted_with_its_reason_and_is_neither_a_success_nor_a_failure()
    {
        var job = new RecordingJob("speedtest", new JobSchedule(TimeSpan.FromSeconds(5), TimeSpan.Zero), _clock) { SkipReason = "outage" };
        using var scheduler = Scheduler(job);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);

        await job.NextStartAsync();
        await WaitForAsync(async () =>
            (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_skipped_runs_total", ("check", "speedtest"), ("reason", "outage")) == 1);

        var metrics = await LabFixture.ScrapeAsync(_registry);
        // The run series exist from the start (at 0), so that the first real failure is an increase.
        Assert.Equal(0, metrics.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")));
        Assert.Equal(0, metrics.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "failure")));
        Assert.Equal(0, metrics.Value("internet_monitor_job_skipped_runs_total", ("check", "speedtest"), ("reason", "overrun")));
        Assert.Null(metrics.Value("internet_monitor_last_success_timestamp_seconds", ("check", "speedtest")));
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Stopping_cancels_the_run_in_progress_and_returns()
    {
        var job = new RecordingJob("speedtest", new JobSchedule(TimeSpan.FromHours(1), TimeSpan.Zero), _clock) { Duration = TimeSpan.FromHours(2) };
        using var scheduler = Scheduler(job);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        await job.NextStartAsync();
        await job.WaitUntilRunningAsync();

        await scheduler.StopAsync(TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken);

        Assert.True(job.WasCancelled);
    }

    [Fact]
    public async Task Wall_clock_steps_of_a_year_forward_and_an_hour_back_neither_burst_nor_count_missed_runs_nor_put_the_next_off()
    {
        var clock = new JumpingClock(_start);
        var job = new RecordingJob("dns", new JobSchedule(TimeSpan.FromSeconds(30), TimeSpan.Zero), clock);
        using var scheduler = Scheduler(job, clock: clock);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        await job.NextStartAsync();

        clock.Step(TimeSpan.FromDays(365));
        clock.Advance(TimeSpan.FromSeconds(30));
        await job.NextStartAsync();
        clock.Step(TimeSpan.FromHours(-1));
        clock.Advance(TimeSpan.FromSeconds(30));
        await job.NextStartAsync(); // due 30 s after the last run, not an hour and 30 s

        await WaitForAsync(async () => (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "dns"), ("outcome", "success")) == 3);
        var metrics = await LabFixture.ScrapeAsync(_registry);
        Assert.Equal(0, metrics.Value("internet_monitor_job_skipped_runs_total", ("check", "dns"), ("reason", "overrun")));
        Assert.Equal(3, metrics.Value("internet_monitor_job_runs_total", ("check", "dns"), ("outcome", "success")));
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_wait_between_runs_on_demand_is_monotonic_a_clock_set_back_does_not_lengthen_it()
    {
        var clock = new JumpingClock(_start);
        var job = new RecordingJob("speedtest", new JobSchedule(TimeSpan.FromHours(1), TimeSpan.Zero), clock);
        using var scheduler = Scheduler(job, clock: clock);
        await scheduler.StartAsync(TestContext.Current.CancellationToken);
        await job.NextStartAsync();
        await WaitForAsync(async () => (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 1);
        var first = await Poll.UntilAsync(
            () => Task.FromResult(scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5))),
            run => run.Outcome != OnDemandOutcome.Busy,
            "the on-demand run let in",
            Deadline,
            TimeSpan.FromMilliseconds(10));
        Assert.Equal(OnDemandOutcome.Started, first.Outcome);
        await WaitForAsync(async () => (await LabFixture.ScrapeAsync(_registry)).Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 2);

        clock.Step(TimeSpan.FromHours(-1));
        var again = scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5));
        Assert.Equal((OnDemandOutcome.TooSoon, TimeSpan.FromMinutes(5)), (again.Outcome, again.RetryAfter!.Value));
        clock.Advance(TimeSpan.FromMinutes(5));
        var later = await Poll.UntilAsync(
            () => Task.FromResult(scheduler.RunNow("speedtest", TimeSpan.FromMinutes(5))),
            run => run.Outcome != OnDemandOutcome.Busy,
            "the on-demand run let in",
            Deadline,
            TimeSpan.FromMilliseconds(10));
        Assert.Equal((OnDemandOutcome.Started, clock.GetUtcNow()), (later.Outcome, later.StartedAt!.Value)); // named by the wall clock
        await scheduler.StopAsync(TestContext.Current.CancellationToken);
    }

    private readonly DateTimeOffset _start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private JobScheduler Scheduler(IScheduledJob job, Random? random = null, TimeProvider? clock = null) =>
        new([job], clock ?? _clock, new JobMetrics(Metrics.WithCustomRegistry(_registry)), NullLogger<JobScheduler>.Instance, random);

    private static Task WaitForAsync(Func<Task<bool>> condition) => Poll.UntilAsync(condition, "the condition", Deadline, TimeSpan.FromMilliseconds(10));

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    private sealed class RecordingJob(string name, JobSchedule schedule, TimeProvider clock) : IScheduledJob
    {
        private readonly Channel<DateTimeOffset> _starts = Channel.CreateUnbounded<DateTimeOffset>();
        private readonly SemaphoreSlim _running = new(0);
        private int _concurrent;

        public string Name { get; } = name;

        public JobSchedule Schedule { get; } = schedule;

        public bool Enabled => true;

        public TimeSpan Duration { get; init; }

        public bool Throw { get; init; }

        public string? SkipReason { get; init; }

        public int MaxConcurrent { get; private set; }

        public bool WasCancelled { get; private set; }

        public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
        {
            MaxConcurrent = Math.Max(MaxConcurrent, Interlocked.Increment(ref _concurrent));
            try
            {
                _starts.Writer.TryWrite(clock.GetUtcNow());
                if (Throw)
                {
                    throw new InvalidOperationException("boom");
                }

                if (Duration > TimeSpan.Zero)
                {
                    var delay = Task.Delay(Duration, clock, cancellationToken);
                    _running.Release();
                    await delay;
                }

                return SkipReason is null ? JobOutcome.Success : JobOutcome.Skipped(SkipReason);
            }
            catch (OperationCanceledException)
            {
                WasCancelled = true;
                throw;
            }
            finally
            {
                Interlocked.Decrement(ref _concurrent);
            }
        }

        public async Task<DateTimeOffset> NextStartAsync() =>
            await _starts.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(Deadline, TestContext.Current.CancellationToken);

        /// <summary>Waits until the run has armed its delay on the fake clock, so advancing the clock reaches it.</summary>
        public Task WaitUntilRunningAsync() => _running.WaitAsync(Deadline, TestContext.Current.CancellationToken);
    }
}
