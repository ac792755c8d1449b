using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Logs each health check's change of state once (healthy to degraded, and back), however often <c>/health</c> is
/// asked and the checks run in the background: a service degraded for a day writes two lines, not one per call.
/// </summary>
internal sealed partial class HealthStateLog(ILogger<HealthStateLog> logger) : IHealthCheckPublisher
{
    private readonly Dictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Observe(report);
        return Task.CompletedTask;
    }

    /// <summary>Logs what changed in <paramref name="report"/> since the last report that had the check (a first healthy one says nothing).</summary>
    public void Observe(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (_lock)
        {
            foreach (var (name, entry) in report.Entries)
            {
                var known = _last.TryGetValue(name, out var before);
                _last[name] = entry.Status;
                if (known ? before == entry.Status : entry.Status == HealthStatus.Healthy)
                {
                    continue;
                }

                switch (entry.Status)
                {
                    case HealthStatus.Healthy:
                        LogHealthy(logger, name, entry.Description ?? string.Empty);
                        break;
                    case HealthStatus.Degraded:
                        LogDegraded(logger, entry.Exception, name, entry.Description ?? string.Empty);
                        break;
                    default:
                        LogUnhealthy(logger, entry.Exception, name, entry.Description ?? string.Empty);
                        break;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Health check {Check} is healthy again: {Description}")]
    private static partial void LogHealthy(ILogger logger, string check, string description);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check {Check} is degraded: {Description}")]
    private static partial void LogDegraded(ILogger logger, Exception? exception, string check, string description);

    [LoggerMessage(Level = LogLevel.Error, Message = "Health check {Check} is unhealthy: {Description}")]
    private static partial void LogUnhealthy(ILogger logger, Exception? exception, string check, string description);
}
