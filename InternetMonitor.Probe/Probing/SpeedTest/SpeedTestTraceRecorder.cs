using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Telemetry;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// The whole measurement as a span of the speed-test run, at its own time: speeds in bytes per second, round trips
/// idle and under each direction's load, jitter, streams and bytes used; the phase and reason when it failed.
/// </summary>
public sealed class SpeedTestTraceRecorder : IRecorder<SpeedTestResult>
{
    private const string Prefix = ProbeTracing.Prefix + "speedtest.";

    public void Record(SpeedTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var activity = ProbeTracing.StartMeasurement("speedtest", result.Start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Prefix + "server", result.Server)
            .SetTag(Prefix + "server_type", result.ServerType.ToString().ToLowerInvariant())
            .SetTag(Prefix + "idle.latency_seconds", result.Idle.Median?.TotalSeconds)
            .SetTag(Prefix + "idle.jitter_seconds", result.Idle.Jitter?.TotalSeconds);
        foreach (var direction in new[] { result.Download, result.Upload })
        {
            if (direction is null)
            {
                continue;
            }

            var prefix = Prefix + direction.Direction.Label() + ".";
            activity.SetTag(prefix + "bytes_per_second", direction.BytesPerSecond)
                .SetTag(prefix + "latency_seconds", direction.Loaded.Median?.TotalSeconds)
                .SetTag(prefix + "latency_increase_seconds", direction.LatencyIncrease(result.Idle)?.TotalSeconds)
                .SetTag(prefix + "streams", direction.Streams)
                .SetTag(prefix + "bytes", direction.BytesUsed);
        }

        if (result.Reason is { } reason)
        {
            activity.SetTag(Prefix + "failed_in", result.FailedIn?.Label());
            ProbeTracing.Fail(activity, reason, result.Detail);
        }

        activity.SetEndTime(result.End.UtcDateTime);
    }
}
