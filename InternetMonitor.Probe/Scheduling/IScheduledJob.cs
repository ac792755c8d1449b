namespace InternetMonitor.Probe.Scheduling;

/// <summary>A job the <see cref="JobScheduler"/> runs on an interval, never two runs of it at once.</summary>
public interface IScheduledJob
{
    /// <summary>Low-cardinality name, used as the <c>check</c> label.</summary>
    string Name { get; }

    /// <summary>A disabled job is registered (so its settings are still validated) but never runs.</summary>
    bool Enabled { get; }

    JobSchedule Schedule { get; }

    /// <summary>The reasons this job may skip a run for (besides the scheduler's own <c>overrun</c>).</summary>
    IReadOnlyList<string> SkipReasons => [];

    /// <summary>Runs once: success when every measurement of the run succeeded, or skipped with a reason.</summary>
    Task<JobOutcome> RunAsync(CancellationToken cancellationToken);
}
