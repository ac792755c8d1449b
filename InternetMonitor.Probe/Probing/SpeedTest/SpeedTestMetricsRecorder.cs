using InternetMonitor.Probe.Recording;
using Prometheus;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>
/// Writes each run to /metrics: the old project's four names per direction (same meaning: one download or upload
/// per run, its bytes and its time, identical label sets so that size / (duration_sum / duration_count) still
/// reads as a speed) and the new figures: speed, latency idle and under load, bytes used, failures by reason.
/// Gauges keep the last run's value between runs, so alerts over hourly tests see a value at every evaluation.
/// </summary>
public sealed class SpeedTestMetricsRecorder : IRecorder<SpeedTestResult>
{
    private readonly Dictionary<SpeedTestDirection, LegacyMetrics> _legacy;
    private readonly Gauge _speed;
    private readonly Gauge _latency;
    private readonly Gauge _jitter;
    private readonly Gauge _increase;
    private readonly Gauge _streams;
    private readonly Counter _bytes;
    private readonly Counter _failures;

    public SpeedTestMetricsRecorder(IMetricFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _legacy = Enum.GetValues<SpeedTestDirection>().ToDictionary(direction => direction, direction => new LegacyMetrics(factory, direction.Label()));
        _speed = factory.CreateGauge(
            "internet_monitor_speedtest_throughput_bytes_per_second",
            "Speed of the last successful run, by direction: the 90th percentile of its timed rounds.",
            ["direction", "server"]);
        _latency = factory.CreateGauge(
            "internet_monitor_speedtest_latency_seconds",
            "Median round trip to the speed-test server in the last run: idle before the transfers, and under download and upload load.",
            ["load", "server"]);
        _jitter = factory.CreateGauge(
            "internet_monitor_speedtest_jitter_seconds",
            "Mean difference between consecutive round trips to the speed-test server in the last run, idle and under load.",
            ["load", "server"]);
        _increase = factory.CreateGauge(
            "internet_monitor_speedtest_latency_increase_seconds",
            "Loaded minus idle median round trip in the last run, by direction: the queueing the load caused (bufferbloat).",
            ["direction", "server"]);
        _streams = factory.CreateGauge(
            "internet_monitor_speedtest_streams",
            "Parallel streams of the last run's final rounds, by direction.",
            ["direction", "server"]);
        _bytes = factory.CreateCounter(
            "internet_monitor_speedtest_bytes_total",
            "Body bytes moved by speed tests, by direction, failed and cut-off transfers included.",
            ["direction"]);
        _failures = factory.CreateCounter(
            "internet_monitor_speedtest_failures_total",
            "Speed-test runs that ended without a figure, by the phase they failed in and the reason.",
            ["server", "phase", "reason"]);
    }

    public void Record(SpeedTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var server = result.Server;
        if (result.Idle.Median is { } idle)
        {
            _latency.WithLabels("idle", server).Set(idle.TotalSeconds);
        }

        if (result.Idle.Jitter is { } idleJitter)
        {
            _jitter.WithLabels("idle", server).Set(idleJitter.TotalSeconds);
        }

        foreach (var direction in Enum.GetValues<SpeedTestDirection>())
        {
            _bytes.WithLabels(direction.Label()).Inc(result.BytesUsed(direction));
        }

        if (result.Reason is { } reason)
        {
            _failures.WithLabels(server, result.FailedIn?.Label() ?? "none", reason).Inc();
        }

        // A run that failed before its first transfer is a failed download, as it was for the old project.
        var download = result.Download;
        if (download is null && result.FailedIn == SpeedTestPhase.Latency)
        {
            _legacy[SpeedTestDirection.Download].Failed(server);
        }

        foreach (var outcome in (DirectionResult?[])[download, result.Upload])
        {
            if (outcome is not null)
            {
                RecordDirection(outcome, result, server);
            }
        }
    }

    private void RecordDirection(DirectionResult outcome, SpeedTestResult result, string server)
    {
        var direction = outcome.Direction.Label();
        var legacy = _legacy[outcome.Direction];
        if (!outcome.Succeeded)
        {
            legacy.Failed(server);
            return;
        }

        legacy.Succeeded(server, outcome.TimedBytes, outcome.TimedDuration);
        _speed.WithLabels(direction, server).Set(outcome.BytesPerSecond!.Value);
        _streams.WithLabels(direction, server).Set(outcome.Streams);
        if (outcome.Loaded.Median is { } loaded)
        {
            _latency.WithLabels(direction, server).Set(loaded.TotalSeconds);
        }

        if (outcome.Loaded.Jitter is { } jitter)
        {
            _jitter.WithLabels(direction, server).Set(jitter.TotalSeconds);
        }

        if (outcome.LatencyIncrease(result.Idle) is { } increase)
        {
            _increase.WithLabels(direction, server).Set(increase.TotalSeconds);
        }
    }

    /// <summary>internet_monitor_{download,upload}_{duration_seconds,size_bytes,total,failures_total}, all labelled by server only.</summary>
    private sealed class LegacyMetrics
    {
        private readonly Histogram _duration;
        private readonly Gauge _size;
        private readonly Counter _total;
        private readonly Counter _failures;

        public LegacyMetrics(IMetricFactory factory, string direction)
        {
            _duration = factory.CreateHistogram(
                $"internet_monitor_{direction}_duration_seconds",
                $"Timed transfer time of each successful {direction} (its rounds' windows added up).",
                ["server"],
                new HistogramConfiguration { Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500] });
            _size = factory.CreateGauge(
                $"internet_monitor_{direction}_size_bytes",
                $"Bytes moved in the timed windows of the last successful {direction}.",
                ["server"]);
            _total = factory.CreateCounter($"internet_monitor_{direction}_total", $"Speed-test {direction}s attempted.", ["server"]);
            _failures = factory.CreateCounter($"internet_monitor_{direction}_failures_total", $"Speed-test {direction}s that failed (the reason is in internet_monitor_speedtest_failures_total).", ["server"]);
        }

        public void Succeeded(string server, long bytes, TimeSpan duration)
        {
            _total.WithLabels(server).Inc();
            _failures.WithLabels(server);
            _size.WithLabels(server).Set(bytes);
            _duration.WithLabels(server).Observe(duration.TotalSeconds);
        }

        public void Failed(string server)
        {
            _total.WithLabels(server).Inc();
            _failures.WithLabels(server).Inc();
        }
    }
}
