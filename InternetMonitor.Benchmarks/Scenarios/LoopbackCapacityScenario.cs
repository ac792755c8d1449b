using System.Globalization;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// The engine's own ceiling: no shaping, a probe serving speed tests on the loopback of a namespace; three rounds
/// of `speedtest` against it, each followed by curl moving 100 MB each way to the same server. Loopback speed on two
/// cores swings by a third from one transfer to the next, so each tool is read by its median.
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
        await using var server = await context.StartSpeedTestServerAsync(network);
        var url = new Uri($"http://127.0.0.1:{ProbeProcess.Port}/");
        var file = Path.GetTempFileName();
        try
        {
            await using (var stream = File.OpenWrite(file))
            {
                stream.SetLength(CurlBytes);
            }

            var probe = new Dictionary<string, List<double>> { ["download"] = [], ["upload"] = [] };
            var curl = new Dictionary<string, List<double>> { ["download"] = [], ["upload"] = [] };
            var streams = new Dictionary<string, List<int>> { ["download"] = [], ["upload"] = [] };
            for (var i = 0; i < Runs; i++)
            {
                var report = await context.SpeedTestAsync(network, url, "--max-bytes", "2000000000");
                probe["download"].Add(report.Download!.BitsPerSecond!.Value);
                probe["upload"].Add(report.Upload!.BitsPerSecond!.Value);
                streams["download"].Add(report.Download.Streams);
                streams["upload"].Add(report.Upload.Streams);
                curl["download"].Add(await Curl.DownloadAsync(network, new Uri(url, $"__down?bytes={CurlBytes}")) * 8);
                curl["upload"].Add(await Curl.UploadAsync(network, new Uri(url, "__up"), file) * 8);
            }

            var section = new ReportSection("8. Speed test capacity on loopback", "Direction", "Probe, each run (Mbit/s)", "Streams", "curl, each run (Mbit/s)", "Probe median / curl median");
            var worst = double.MaxValue;
            foreach (var direction in (string[])["download", "upload"])
            {
                var ratio = Stats.Median(probe[direction]) / Stats.Median(curl[direction]);
                worst = Math.Min(worst, ratio);
                section.Row(direction, string.Join(", ", probe[direction].Select(value => Mbits(value))), string.Join(", ", streams[direction]), string.Join(", ", curl[direction].Select(value => Mbits(value))), Ratio(ratio));
            }

            section.Note($"Both against the same probe serving /__down and /__up on 127.0.0.1 in one namespace, taking turns: {Runs} runs of `speedtest --max-bytes 2000000000` "
                + $"(the 90th percentile of its timed rounds), each followed by curl moving {CurlBytes / 1e6:0} MB each way (`%{{speed_download}}`, `%{{speed_upload}}`: bytes over the whole transfer).");
            section.Target("Loopback speed at least 0.9 x curl's against the same server (medians)", worst >= 0.9, $"lowest {Ratio(worst)} x");
            return section;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
