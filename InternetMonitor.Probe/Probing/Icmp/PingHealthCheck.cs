using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Healthy while echoes keep completing, whatever their outcome: an outage is data, not a sick probe. Unhealthy
/// when no echo has completed for a while, which means the ping loop itself has stalled.
/// </summary>
public sealed class PingHealthCheck(IOptions<IcmpOptions> options, TimeProvider timeProvider) : IHealthCheck, IRecorder<PingResult>
{
    private readonly DateTimeOffset _createdAt = timeProvider.GetUtcNow();
    private long _lastCompletionTicks;

    public void Record(PingResult result) => Interlocked.Exchange(ref _lastCompletionTicks, timeProvider.GetUtcNow().UtcTicks);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var allowed = settings.Timeout + (settings.Interval * 3);
        var now = timeProvider.GetUtcNow();
        var ticks = Interlocked.Read(ref _lastCompletionTicks);
        var since = ticks == 0 ? _createdAt : new DateTimeOffset(ticks, TimeSpan.Zero);
        var silence = now - since;
        return Task.FromResult(silence <= allowed
            ? HealthCheckResult.Healthy(ticks == 0 ? "starting" : "echoes are completing")
            : HealthCheckResult.Unhealthy($"no echo has completed for {silence.TotalSeconds:0} s: the ping loop has stalled"));
    }
}
