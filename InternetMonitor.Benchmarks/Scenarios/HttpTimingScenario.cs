using System.Globalization;
using System.Net;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// HTTP timing: a lab HTTP server on the far side answers each request after a known 50 ms of processing.
/// The probe requests it once a second; curl -w requests it as often, over the same link. The probe's first
/// five requests are left out (they pay for its JIT compilation). Connect is the TCP
/// handshake (one RTT on the veth); time to first byte is everything up to the first response byte, the
/// 50 ms included.
/// </summary>
public sealed class HttpTimingScenario : IScenario
{
    private const int Requests = 30;
    private static readonly TimeSpan Processing = TimeSpan.FromMilliseconds(50);
    private static readonly IPAddress Server = IPAddress.Parse("192.0.2.61");

    public string Name => "http";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        await lab.StartResponderAsync(new Dictionary<IPAddress, EchoProfile> { [Server] = EchoProfile.Immediate });
        await using var server = NamespaceThread.Run(lab.Far, () => new LabHttpServer(new HttpServerBehaviour { ProcessingDelay = Processing }, Server, 8080));
        await using var probe = await context.StartProbeAsync(lab.Near, new Dictionary<string, string> { ["server"] = Server.ToString() }, new Dictionary<string, string>
        {
            ["Monitor__Http__Enabled"] = "true",
            ["Monitor__Http__Interval"] = "00:00:01",
            ["Monitor__Http__StartJitter"] = "00:00:00",
            ["Monitor__Http__Timeout"] = "00:00:00.9",
            ["Monitor__Http__Targets__lab__Url"] = server.Url.ToString(),
        });

        // The first requests pay for the probe's JIT compilation: its figures are taken from here on (counter deltas).
        var warm = await probe.WaitForAsync(
            m => m.Value("internet_monitor_http_duration_seconds_count", ("target", "lab"), ("phase", "processing")) >= 5,
            "five HTTP probes", TimeSpan.FromSeconds(60), cancellationToken: cancellationToken);
        var connects = new List<double>();
        var firstBytes = new List<double>();
        for (var i = 0; i < Requests; i++)
        {
            var (connect, firstByte) = await Curl.TimeAsync(lab.Near, server.Url);
            connects.Add(connect * 1000);
            firstBytes.Add(firstByte * 1000);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var metrics = await probe.TryMetricsAsync() ?? throw new LabException("the probe did not answer /metrics");
        double Mean(string phase) // a phase the request did not have (dns for an address, tls for http) counts 0
        {
            var count = Delta(metrics, warm, "internet_monitor_http_duration_seconds_count", phase);
            return count == 0 ? 0 : Delta(metrics, warm, "internet_monitor_http_duration_seconds_sum", phase) / count * 1000;
        }

        var probed = Delta(metrics, warm, "internet_monitor_http_duration_seconds_count", "processing");
        var probeConnect = Mean("connect");
        var probeFirstByte = Mean("dns") + Mean("connect") + Mean("tls") + Mean("processing");

        var section = new ReportSection("6. HTTP timing", "Figure", "Known", "Probe (mean)", "curl -w (mean)", "Difference");
        section.Row("Connect", "one TCP handshake on the veth", $"{F(probeConnect)} ms", $"{F(connects.Average())} ms", $"{F(Math.Abs(probeConnect - connects.Average()))} ms");
        section.Row("Time to first byte", $"{Processing.TotalMilliseconds} ms processing + two round trips", $"{F(probeFirstByte)} ms", $"{F(firstBytes.Average())} ms", $"{F(Math.Abs(probeFirstByte - firstBytes.Average()))} ms");
        section.Note($"{Requests} requests by curl and {probed} by the probe (after its first five), one a second, plain HTTP/1.1 to {server.Url} on the far side. The probe's time to first byte is the sum of its dns (none: an address), connect, tls (none) and processing phase means from `internet_monitor_http_duration_seconds`; curl's is `%{{time_starttransfer}}`, connect `%{{time_connect}}`. Medians: curl connect {F(Stats.Median(connects))} ms, first byte {F(Stats.Median(firstBytes))} ms.");
        return section;
    }

    private static double Delta(MetricsText now, MetricsText before, string name, string phase) =>
        (now.Value(name, ("target", "lab"), ("phase", phase)) ?? 0) - (before.Value(name, ("target", "lab"), ("phase", phase)) ?? 0);

    private static string F(double milliseconds) => milliseconds.ToString("0.000", CultureInfo.InvariantCulture);
}
