using InternetMonitor.Probe.Recording;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

/// <summary>
/// Healthy while echoes keep completing, whatever their outcome: an outage is data, not a sick probe. Unhealthy
/// when no echo has completed for a while, which means the ping loop itself has stalled. Measured on the monotonic
/// clock: a step of the wall clock is no silence.
/// </summary>
public sealed class PingHealthCheck(IOptions<IcmpOptions> options, TimeProvider timeProvider) : IHealthCheck, IRecorder<PingResult>
{
    private readonly long _createdAt = timeProvider.GetTimestamp();
    private long _lastCompletion;

    public void Record(PingResult result) => Interlocked.Exchange(ref _lastCompletion, timeProvider.GetTimestamp());

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var allowed = settings.Timeout + (settings.Interval * 3);
        var last = Interlocked.Read(ref _lastCompletion);
        var silence = timeProvider.GetElapsedTime(last == 0 ? _createdAt : last);
        return Task.FromResult(silence <= allowed
            ? HealthCheckResult.Healthy(last == 0 ? "starting" : "echoes are completing")
            : HealthCheckResult.Unhealthy($"no echo has completed for {silence.TotalSeconds:0} s: the ping loop has stalled"));
    }
}
