using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Recording;

namespace InternetMonitor.Probe.Alerting;

/// <summary>One log line per received alert: a firing one as a warning, a resolved one as information.</summary>
public sealed partial class AlertLogRecorder(ILogger<AlertLogRecorder> logger) : IRecorder<AlertNotification>
{
    public void Record(AlertNotification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status == AlertNotification.Firing)
        {
            LogFiring(logger, OneLine(result.AlertName), OneLine(result.Severity), result.StartsAt, OneLine(result.Summary, AlertNotification.MaxTextLength));
        }
        else
        {
            LogResolved(logger, OneLine(result.AlertName), OneLine(result.Severity), result.StartsAt, result.EndsAt, OneLine(result.Summary, AlertNotification.MaxTextLength));
        }
    }

    // The texts come from the sender: a line break must not forge a log line of its own, an ESC sequence must not reach
    // a terminal, and the line stays short.
    private static string OneLine(string text, int maxLength = AlertNotification.MaxNameLength) => ClientText.Clean(text, maxLength);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert FIRING {AlertName} ({Severity}) since {StartsAt:o}: {Summary}")]
    private static partial void LogFiring(ILogger logger, string alertName, string severity, DateTimeOffset startsAt, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert RESOLVED {AlertName} ({Severity}), from {StartsAt:o} to {EndsAt:o}: {Summary}")]
    private static partial void LogResolved(ILogger logger, string alertName, string severity, DateTimeOffset startsAt, DateTimeOffset? endsAt, string summary);
}
