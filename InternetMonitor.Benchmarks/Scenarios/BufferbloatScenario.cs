using System.Globalization;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Latency under load on a link whose queue is known: 20 Mbit/s with a tbf queue of 100 ms, then a deep one of
/// 500 ms, with the transfers' TCP using loss-based reno (which fills a queue before it backs off, so the loaded
/// round trip should grow by up to the queue's length) and then bbr (which keeps the queue short).
/// </summary>
public sealed class BufferbloatScenario : IScenario
{
    private const long Rate = 20_000_000;
    private static readonly TimeSpan[] Queues = [TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)];
    private static readonly string[] CongestionControls = ["reno", "bbr"];

    public string Name => "bloat";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = new ReportSection("10. Latency under load", "TCP", "Queue", "Idle (ms)", "Under download (ms)", "Under upload (ms)", "Increase down / up (ms)", "Round trips per minute down / up");
        foreach (var (algorithm, queue) in CongestionControls.SelectMany(algorithm => Queues.Select(queue => (algorithm, queue))))
        {
            await using var lab = await LabNetwork.CreateAsync();
            await lab.UseCongestionControlAsync(algorithm);
            await lab.ShapeAsync(Rate, queue);
            await using var server = await context.StartSpeedTestServerAsync(lab.Far);
            var report = await context.SpeedTestAsync(lab.Near, new Uri($"http://{LabNetwork.FarAddress}:{ProbeProcess.Port}/"));
            var download = report.Download!;
            var upload = report.Upload!;
            section.Row(
                algorithm,
                $"{queue.TotalMilliseconds:0} ms",
                Ms(report.IdleLatency.MedianSeconds),
                Ms(download.LoadedLatency.MedianSeconds),
                Ms(upload.LoadedLatency.MedianSeconds),
                $"{Ms(download.LatencyIncreaseSeconds)} / {Ms(upload.LatencyIncreaseSeconds)}",
                $"{Count(download.RoundTripsPerMinute)} / {Count(upload.RoundTripsPerMinute)}");
        }

        section.Note($"The lab link shaped to {Rate / 1e6:0} Mbit/s each way; round trips are `__down?bytes=0` requests on a connection of their own, every 200 ms while the transfers run "
            + "(the first 100 ms of load left out), idle ones (20) before. Medians. Round trips per minute = 60 s / the loaded median (the responsiveness draft's RPM). "
            + "TCP is the congestion control of both lab namespaces for the run (the host's default here is bbr).");
        return section;
    }

    private static string Ms(double? seconds) => seconds is { } value ? (value * 1000).ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Count(double? value) => value is { } count ? count.ToString("0", CultureInfo.InvariantCulture) : "-";
}
