using Prometheus;

namespace InternetMonitor.Probe.Scheduling;

/// <summary>
/// Run counts and the last success time of every job, the ICMP stream included. The job's name is the <c>check</c>
/// label: a label named <c>job</c> would clash with the one Prometheus gives every target (it would be renamed
/// <c>exported_job</c> on scrape).
/// </summary>
public sealed class JobMetrics(IMetricFactory factory)
{
    private readonly Counter _runs = factory.CreateCounter(
        "internet_monitor_job_runs_total",
        "Runs of each scheduled job, by outcome (success: every measurement of the run succeeded).",
        ["check", "outcome"]);

    private readonly Counter _skipped = factory.CreateCounter(
        "internet_monitor_job_skipped_runs_total",
        "Scheduled runs that measured nothing, by reason (overrun: the previous run outlasted the interval; the speed test also: outage, budget).",
        ["check", "reason"]);

    private readonly Gauge _lastSuccess = factory.CreateGauge(
        "internet_monitor_last_success_timestamp_seconds",
        "Unix time of the last successful run of each job (for icmp: the last echo reply).",
        ["check"]);

    /// <summary>Creates the job's series at 0, so that the first failure or skip after a start shows as an increase.</summary>
    public void Prepare(string job, IEnumerable<string> skipReasons)
    {
        ArgumentNullException.ThrowIfNull(skipReasons);
        _runs.WithLabels(job, "success");
        _runs.WithLabels(job, "failure");
        foreach (var reason in skipReasons.Prepend("overrun"))
        {
            _skipped.WithLabels(job, reason);
        }
    }

    public void Ran(string job, bool success, DateTimeOffset at)
    {
        _runs.WithLabels(job, success ? "success" : "failure").Inc();
        if (success)
        {
            Succeeded(job, at);
        }
    }

    public void Succeeded(string job, DateTimeOffset at) =>
        _lastSuccess.WithLabels(job).Set(at.ToUnixTimeMilliseconds() / 1000.0);

    public void Skipped(string job, string reason, long count) => _skipped.WithLabels(job, reason).Inc(count);
}
