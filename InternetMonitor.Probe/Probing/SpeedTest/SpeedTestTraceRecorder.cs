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
        ProbeTracing.Measurement("speedtest", result.Start, result.End, result.Reason, result.Detail, activity =>
        {
            activity.SetTag(Prefix + "server", result.Server)
                .SetTag(Prefix + "server_type", result.ServerType.ToString().ToLowerInvariant())
                .SetTag(Prefix + "idle.latency_seconds", result.Idle.Median?.TotalSeconds)
                .SetTag(Prefix + "idle.jitter_seconds", result.Idle.Jitter?.TotalSeconds)
                .SetTag(Prefix + "failed_in", result.FailedIn?.Label());
            foreach (var direction in new[] { result.Download, result.Upload })
            {
                if (direction is not null)
                {
                    var prefix = Prefix + direction.Direction.Label() + ".";
                    activity.SetTag(prefix + "bytes_per_second", direction.BytesPerSecond)
                        .SetTag(prefix + "latency_seconds", direction.Loaded.Median?.TotalSeconds)
                        .SetTag(prefix + "latency_increase_seconds", direction.LatencyIncrease(result.Idle)?.TotalSeconds)
                        .SetTag(prefix + "streams", direction.Streams)
                        .SetTag(prefix + "bytes", direction.BytesUsed);
                }
            }
        });
    }
}
