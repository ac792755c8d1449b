using Prometheus;

namespace InternetMonitor.Probe.Scheduling;

/// <summary>Run counts and the last success time of every job, the ICMP stream included.</summary>
public sealed class JobMetrics(IMetricFactory factory)
{
    private readonly Counter _runs = factory.CreateCounter(
        "internet_monitor_job_runs_total",
        "Runs of each scheduled job, by outcome (success: every measurement of the run succeeded).",
        ["job", "outcome"]);

    private readonly Counter _skipped = factory.CreateCounter(
        "internet_monitor_job_skipped_runs_total",
        "Scheduled runs that measured nothing, by reason (overrun: the previous run outlasted the interval; the speed test also: outage, budget).",
        ["job", "reason"]);

    private readonly Gauge _lastSuccess = factory.CreateGauge(
        "internet_monitor_last_success_timestamp_seconds",
        "Unix time of the last successful run of each job (for icmp: the last echo reply).",
        ["job"]);

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
