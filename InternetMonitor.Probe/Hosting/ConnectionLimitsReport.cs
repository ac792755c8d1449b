using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Hosting;

/// <summary>Says the connection limits once at start, in one line, and creates their metrics.</summary>
public sealed partial class ConnectionLimitsReport(
    DescriptorLimit limit,
    ConnectionBudget budget,
    IOptions<ConnectionLimitsOptions> options,
    ConnectionMetrics metrics,
    ILogger<ConnectionLimitsReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = metrics;
        LogLimits(logger, limit.Soft, limit.SoftAtStart, budget.Reserve, limit.OpenAtStart, budget.Remote, budget.Loopback,
            options.Value.RequestHeadersTimeout, options.Value.KeepAliveTimeout);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Connections: descriptor limit {Limit} (soft limit at start {SoftAtStart}), {Reserve} kept for measuring ({Open} open at start), clients up to {Remote} from other hosts and {Loopback} from this host; headers within {HeadersTimeout}, idle connections closed after {KeepAliveTimeout}")]
    private static partial void LogLimits(ILogger logger, long limit, long softAtStart, int reserve, int open, int remote, int loopback, TimeSpan headersTimeout, TimeSpan keepAliveTimeout);
}
