using System.Globalization;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// The engine's own ceiling: no shaping, the loopback of one namespace. Against a plain Cloudflare-compatible server
/// (the lab's raw-socket one, not the probe), three runs of `speedtest` given exactly the bytes curl moves (100 MB each
/// way), each followed by curl; then the same against a probe serving speed tests, `speedtest` with its default
/// settings. Loopback speed on two cores swings by a third from one transfer to the next, so each tool is read by its
/// median.
/// </summary>
public sealed class LoopbackCapacityScenario : IScenario
{
    private const int Runs = 3;
    private const long CurlBytes = 100_000_000;

    public string Name => "capacity";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var network = await NetworkNamespace.CreateAsync();
        var file = Path.GetTempFileName();
        try
        {
            await using (var stream = File.OpenWrite(file))
            {
                stream.SetLength(CurlBytes);
            }

            var section = new ReportSection("9. Speed test capacity on loopback", "Server", "Direction", "Probe, each run (Mbit/s)", "Streams", "Probe bytes", "curl, each run (Mbit/s)", "Probe median / curl median");

            // The lab's server answers on the namespace's loopback because it was made on a thread inside it.
            await using var plain = NamespaceThread.Run(network, () => new FaultySpeedTestServer(SpeedTestServerFault.None));
            var worst = await CompareAsync(context, section, network, "plain", plain.Url, ["--max-bytes", (2 * CurlBytes).ToString(CultureInfo.InvariantCulture)], file);

            await using var probe = await context.StartSpeedTestServerAsync(network);
            await CompareAsync(context, section, network, "probe", new Uri($"http://127.0.0.1:{ProbeProcess.Port}/"), [], file);

            section.Note($"Taking turns on 127.0.0.1 in one namespace, {Runs} runs each: `speedtest` (the 90th percentile of its timed rounds), then curl moving {CurlBytes / 1e6:0} MB each way "
                + "(`%{speed_download}`, `%{speed_upload}`: bytes over the whole transfer). plain: the lab's Cloudflare-compatible server on a raw socket (GET /__down?bytes=N, POST /__up, keep-alive, "
                + $"64 KiB writes and reads: no web framework), `speedtest --max-bytes {2 * CurlBytes}`, the bytes curl moves in a run, both directions. "
                + "probe: a probe serving speed tests, `speedtest` with its default settings (its sizes grow with the speed up to MaxBytes); for information, no target.");
            section.Target("Loopback speed at least 0.9 x curl's against a plain server, given curl's bytes (medians)", worst >= 0.9, $"lowest {Ratio(worst)} x");
            return section;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Runs and curls in turn against <paramref name="url"/>; one row per direction; the lower ratio of medians.</summary>
    private static async Task<double> CompareAsync(BenchContext context, ReportSection section, NetworkNamespace network, string server, Uri url, string[] arguments, string file)
    {
        var probe = new Dictionary<string, List<double>> { ["download"] = [], ["upload"] = [] };
        var curl = new Dictionary<string, List<double>> { ["download"] = [], ["upload"] = [] };
        var streams = new Dictionary<string, List<int>> { ["download"] = [], ["upload"] = [] };
        var bytes = new Dictionary<string, List<long>> { ["download"] = [], ["upload"] = [] };
        for (var i = 0; i < Runs; i++)
        {
            var report = await context.SpeedTestAsync(network, url, arguments);
            foreach (var (direction, figures) in new[] { ("download", report.Download!), ("upload", report.Upload!) })
            {
                probe[direction].Add(figures.BitsPerSecond!.Value);
                streams[direction].Add(figures.Streams);
                bytes[direction].Add(figures.BytesUsed);
            }

            curl["download"].Add(await Curl.DownloadAsync(network, new Uri(url, $"__down?bytes={CurlBytes}")) * 8);
            curl["upload"].Add(await Curl.UploadAsync(network, new Uri(url, "__up"), file) * 8);
        }

        var worst = double.MaxValue;
        foreach (var direction in (string[])["download", "upload"])
        {
            var ratio = Stats.Median(probe[direction]) / Stats.Median(curl[direction]);
            worst = Math.Min(worst, ratio);
            section.Row(server, direction, string.Join(", ", probe[direction].Select(value => Mbits(value))), string.Join(", ", streams[direction]),
                string.Join(", ", bytes[direction].Select(value => (value / 1e6).ToString("0", CultureInfo.InvariantCulture) + " MB")),
                string.Join(", ", curl[direction].Select(value => Mbits(value))), Ratio(ratio));
        }

        return worst;
    }
}
