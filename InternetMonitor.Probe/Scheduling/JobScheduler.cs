using System.Diagnostics;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Scheduling;

/// <summary>
/// Runs every <see cref="IScheduledJob"/> at a fixed rate on the injected clock's monotonic time. A run that outlasts its
/// interval delays the next one to the next tick (runs never overlap) and the ticks it swallowed are counted
/// as skipped. The wall clock plays no part in when a job runs: a step of it (NTP setting a clock that was wrong by a
/// year) neither makes a burst of runs or "missed" ticks nor puts the next run off (docs/time.md).
/// Stopping cancels the running jobs and waits for them.
/// </summary>
public sealed partial class JobScheduler(
    IEnumerable<IScheduledJob> jobs,
    TimeProvider timeProvider,
    JobMetrics metrics,
    ILogger<JobScheduler> logger,
    Random? random = null) : BackgroundService
{
    private readonly Random _random = random ?? Random.Shared;
    private readonly Dictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastOnDemand = new(StringComparer.Ordinal); // monotonic timestamps
    private readonly Lock _lock = new();
    private IReadOnlyList<(IScheduledJob Job, TimeSpan FirstRun)> _plan = []; // after _origin
    private long _origin;
    private CancellationToken _stopping;

    /// <summary>Plans each job's first run from the moment of start (ExecuteAsync itself runs later, on another thread).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _origin = timeProvider.GetTimestamp();
        _plan = jobs.Where(job => job.Enabled).Select(job =>
        {
#pragma warning disable CA5394 // Start jitter spreads load; it needs no cryptographic randomness.
            var jitter = TimeSpan.FromTicks((long)(_random.NextDouble() * job.Schedule.StartJitter.Ticks));
#pragma warning restore CA5394
            LogScheduled(logger, job.Name, job.Schedule.Interval, jitter);
            metrics.Prepare(job.Name, job.SkipReasons);
            return (job, jitter);
        }).ToList();
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        return Task.WhenAll(_plan.Select(plan => RunJobAsync(plan.Job, plan.FirstRun, stoppingToken)));
    }

    /// <summary>
    /// Starts a run of <paramref name="name"/> now, outside its schedule, as a scheduled run would go (its checks, its
    /// span, its metrics): refused while one runs (never two at once) and within <paramref name="minInterval"/> of the
    /// last run asked for this way.
    /// </summary>
    public OnDemandRun RunNow(string name, TimeSpan minInterval)
    {
        var job = _plan.Select(plan => plan.Job).FirstOrDefault(job => job.Name == name);
        if (job is null || _stopping == default)
        {
            return new OnDemandRun(OnDemandOutcome.Off, null, null);
        }

        lock (_lock)
        {
            if (_lastOnDemand.TryGetValue(name, out var last) && timeProvider.GetElapsedTime(last) is var since && since < minInterval)
            {
                return new OnDemandRun(OnDemandOutcome.TooSoon, null, minInterval - since);
            }

            var gate = Gate(name);
            if (!gate.Wait(0))
            {
                return new OnDemandRun(OnDemandOutcome.Busy, null, null);
            }

            _lastOnDemand[name] = timeProvider.GetTimestamp();
            _ = Task.Run(async () =>
            {
                try
                {
                    await RunOnceAsync(job, _stopping, gated: false).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // stopping
                }
                finally
                {
                    gate.Release();
                }
            }, CancellationToken.None);
            return new OnDemandRun(OnDemandOutcome.Started, timeProvider.GetUtcNow(), null);
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/> holding <paramref name="name"/>'s gate, so that it never overlaps a scheduled or
    /// on-demand run of that job (a measurement campaign's speed tests: Campaigns/CampaignRunner). Not counted as a run
    /// of the job's schedule.
    /// </summary>
    public async Task<T> RunExclusiveAsync<T>(string name, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var gate = Gate(name);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await run(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private SemaphoreSlim Gate(string name)
    {
        lock (_lock)
        {
            if (!_gates.TryGetValue(name, out var gate))
            {
                gate = new SemaphoreSlim(1, 1);
                _gates[name] = gate;
            }

            return gate;
        }
    }

    private async Task RunJobAsync(IScheduledJob job, TimeSpan firstRun, CancellationToken stoppingToken)
    {
        var interval = job.Schedule.Interval;
        var next = firstRun;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = next - timeProvider.GetElapsedTime(_origin);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, stoppingToken).ConfigureAwait(false);
                }

                await RunOnceAsync(job, stoppingToken).ConfigureAwait(false);

                next += interval;
                var now = timeProvider.GetElapsedTime(_origin);

                // A little late (a busy machine) still runs; a tick long past (the run outlasted it) is skipped.
                if (now - next > interval / 10)
                {
                    var missed = (long)Math.Floor((now - next) / interval) + 1;
                    next += interval * missed;
                    metrics.Skipped(job.Name, "overrun", missed);
                    LogOverrun(logger, job.Name, missed);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the run in progress was cancelled; nothing to record.
        }
    }

    private async Task RunOnceAsync(IScheduledJob job, CancellationToken stoppingToken, bool gated = true)
    {
        // A run asked for on demand holds the gate: the scheduled one waits for it to end (then runs: it is due).
        var gate = gated ? Gate(job.Name) : null;
        if (gate is not null)
        {
            await gate.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        try
        {
            await RunGuardedAsync(job, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            gate?.Release();
        }
    }

    private async Task RunGuardedAsync(IScheduledJob job, CancellationToken stoppingToken)
    {
        // The run's span: its measurements, published while it runs, become its children (Telemetry/ProbeTracing).
        using var activity = ProbeTracing.Source.StartActivity(job.Name + " run");
        activity?.SetTag(ProbeTracing.Prefix + "check", job.Name);
        JobOutcome outcome;
        try
        {
            outcome = await job.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A job's bug must not stop the schedule: it is counted, logged, and the job runs again.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogJobFailed(logger, exception, job.Name);
            activity?.AddException(exception).SetStatus(ActivityStatusCode.Error, "the job failed unexpectedly: " + exception.Message);
            activity?.SetTag(ProbeTracing.Prefix + "outcome", "failure");
            metrics.Ran(job.Name, false, timeProvider.GetUtcNow());
            return;
        }

        if (outcome.SkipReason is { } reason)
        {
            activity?.SetTag(ProbeTracing.Prefix + "outcome", "skipped").SetTag(ProbeTracing.Prefix + "skip_reason", reason);
            metrics.Skipped(job.Name, reason, 1);
            return;
        }

        activity?.SetTag(ProbeTracing.Prefix + "outcome", outcome.Succeeded ? "success" : "failure");
        if (!outcome.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "a measurement of the run failed");
        }

        metrics.Ran(job.Name, outcome.Succeeded, timeProvider.GetUtcNow());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {Job} runs every {Interval}, first run in {Jitter}")]
    private static partial void LogScheduled(ILogger logger, string job, TimeSpan interval, TimeSpan jitter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {Job} outlasted its interval; {Missed} run(s) skipped")]
    private static partial void LogOverrun(ILogger logger, string job, long missed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {Job} failed unexpectedly")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string job);
}

/// <summary>What became of a request to run a job now.</summary>
public enum OnDemandOutcome
{
    Started,
    Busy,
    TooSoon,
    Off,
}

/// <summary>A request to run a job now: when it started, or how long until another may be asked for.</summary>
public sealed record OnDemandRun(OnDemandOutcome Outcome, DateTimeOffset? StartedAt, TimeSpan? RetryAfter);

