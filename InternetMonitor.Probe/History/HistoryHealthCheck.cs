using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InternetMonitor.Probe.History;

/// <summary>
/// Degraded while the history database cannot be written: the probe still measures, but nothing is kept. The answer names
/// no file (anyone who reaches /health reads it); the writer's log line names the database.
/// </summary>
public sealed class HistoryHealthCheck(HistoryWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = writer.Status;
        return Task.FromResult(!writer.Enabled ? HealthCheckResult.Healthy("history is off (Monitor:History:Enabled=false)")
            : status.Healthy ? HealthCheckResult.Healthy("history kept")
            : HealthCheckResult.Degraded($"the history cannot be written ({status.Reason}): {HistoryFailure.Describe(status.Reason ?? "other")}; {status.Pending} rows wait; the probe's log names the file"));
    }
}
