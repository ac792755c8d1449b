using System.Diagnostics;
using System.Globalization;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Cost: CPU and resident memory over one minute, after a warm-up, in a namespace holding only loopback.
/// First 3 targets at 1 Hz: the probe, prometheus-blackbox-exporter (asked once a second per target, as a
/// 1 s scrape would) and `fping -l`, side by side. Then 100 targets (127.0.0.1 to 127.0.0.100) at 1 Hz: the
/// probe next to fping. The probe is scraped every 15 s, as Prometheus would.
/// </summary>
public sealed class CostScenario : IScenario
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ScrapeEvery = TimeSpan.FromSeconds(15);

    public string Name => "cost";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = new ReportSection("5. Cost", "Watcher", "Targets at 1 Hz", "CPU (% of one core)", "Resident memory", "Peak resident memory");

        var three = Loopback(3);
        var (probe3, blackbox, fping3) = await MeasureThreeAsync(context, three, cancellationToken);
        section.Row("probe", "3", Cpu(probe3), Mb(probe3.Memory.ResidentBytes), Mb(probe3.Memory.PeakResidentBytes));
        section.Row("prometheus-blackbox-exporter", "3", Cpu(blackbox), Mb(blackbox.Memory.ResidentBytes), Mb(blackbox.Memory.PeakResidentBytes));
        section.Row("fping -l", "3", Cpu(fping3), Mb(fping3.Memory.ResidentBytes), Mb(fping3.Memory.PeakResidentBytes));

        var hundred = Loopback(100);
        var (probe100, fping100) = await MeasureHundredAsync(context, hundred, cancellationToken);
        section.Row("probe", "100", Cpu(probe100), Mb(probe100.Memory.ResidentBytes), Mb(probe100.Memory.PeakResidentBytes));
        section.Row("fping -l", "100", Cpu(fping100), Mb(fping100.Memory.ResidentBytes), Mb(fping100.Memory.PeakResidentBytes));

        var memoryRatio = probe3.Memory.ResidentBytes / (double)blackbox.Memory.ResidentBytes;
        var cpuRatio = probe100.CpuPercent / fping100.CpuPercent;
        section.Target("Memory at most 1.5 x blackbox_exporter's (3 targets)", memoryRatio <= 1.5, $"{memoryRatio.ToString("0.0", CultureInfo.InvariantCulture)} x");
        section.Target("CPU at 100 targets at most 2 x fping's", cpuRatio <= 2, $"{cpuRatio.ToString("0.0", CultureInfo.InvariantCulture)} x");
        section.Note($"CPU: user + system time from /proc/PID/stat over {Window.TotalSeconds} s after a {WarmUp.TotalSeconds} s warm-up; memory: VmRSS and VmHWM from /proc/PID/status at the end. The probe runs with DNS and HTTP jobs off and no gateway, scraped every {ScrapeEvery.TotalSeconds} s.");
        return section;
    }

    private static async Task<(Usage Probe, Usage Blackbox, Usage Fping)> MeasureThreeAsync(BenchContext context, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        await using var network = await NetworkNamespace.CreateAsync();
        await using var probe = await context.StartProbeAsync(network, Names(targets));
        await using var blackbox = BlackboxExporter.Start(network);
        await using var fping = Fping.Loop(network, targets, TimeSpan.FromSeconds(1));
        using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));

        var usages = await MeasureAsync(
            [probe.Id, blackbox.Process.Id, fping.Id],
            async () =>
            {
                foreach (var target in targets)
                {
                    using var response = await client.GetAsync(BlackboxExporter.ProbeUrl(target), cancellationToken);
                    response.EnsureSuccessStatusCode();
                }
            },
            client,
            cancellationToken);
        return (usages[0], usages[1], usages[2]);
    }

    private static async Task<(Usage Probe, Usage Fping)> MeasureHundredAsync(BenchContext context, IReadOnlyList<string> targets, CancellationToken cancellationToken)
    {
        await using var network = await NetworkNamespace.CreateAsync();
        await using var probe = await context.StartProbeAsync(network, Names(targets));
        await using var fping = Fping.Loop(network, targets, TimeSpan.FromSeconds(1));
        using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
        var usages = await MeasureAsync([probe.Id, fping.Id], () => Task.CompletedTask, client, cancellationToken);
        return (usages[0], usages[1]);
    }

    /// <summary>Warms up, then reads each process's CPU time and memory across the window, doing <paramref name="everySecond"/> meanwhile.</summary>
    private static async Task<Usage[]> MeasureAsync(int[] pids, Func<Task> everySecond, HttpClient client, CancellationToken cancellationToken)
    {
        await RunForAsync(WarmUp, everySecond, client, cancellationToken);
        var start = pids.Select(ProcessUsage.Read).ToArray();
        var measured = Stopwatch.StartNew();
        await RunForAsync(Window, everySecond, client, cancellationToken);
        var elapsed = measured.Elapsed;
        return [.. pids.Select(ProcessUsage.Read).Select((usage, i) => new Usage(usage.CpuPercentSince(start[i], elapsed), usage))];
    }

    /// <summary>Does <paramref name="everySecond"/> once a second and scrapes the probe every 15 s, for <paramref name="duration"/>.</summary>
    private static async Task RunForAsync(TimeSpan duration, Func<Task> everySecond, HttpClient client, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var nextScrape = TimeSpan.Zero;
        for (var second = 1; clock.Elapsed < duration; second++)
        {
            await everySecond();
            if (clock.Elapsed >= nextScrape)
            {
                nextScrape += ScrapeEvery;
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{ProbeProcess.Port}/metrics"), cancellationToken);
                response.EnsureSuccessStatusCode();
            }

            var wait = TimeSpan.FromSeconds(second) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private static List<string> Loopback(int count) =>
        [.. Enumerable.Range(1, count).Select(last => "127.0.0." + last.ToString(CultureInfo.InvariantCulture))];

    private static Dictionary<string, string> Names(IReadOnlyList<string> targets) =>
        targets.Select((address, i) => ($"lo{i + 1}", address)).ToDictionary(pair => pair.Item1, pair => pair.address);

    private static string Cpu(Usage usage) => usage.CpuPercent.ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private sealed record Usage(double CpuPercent, ProcessUsage Memory);
}
