using System.Diagnostics;
using System.Globalization;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Cost: CPU and resident memory over one minute, after a warm-up, in namespaces holding only loopback.
/// First 3 targets at 1 Hz: the probe (on the .NET runtime, and natively compiled when `make publish` built
/// it), prometheus-blackbox-exporter (asked once a second per target, as a 1 s scrape would) and `fping -l`,
/// side by side. Then 100 targets (127.0.0.1 to 127.0.0.100) at 1 Hz: the probes next to fping. The probes
/// are scraped every 15 s, as Prometheus would.
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

        var three = await MeasureAsync(context, Loopback(3), withBlackbox: true, cancellationToken);
        var hundred = await MeasureAsync(context, Loopback(100), withBlackbox: false, cancellationToken);
        foreach (var (targets, usages) in new[] { (3, three), (100, hundred) })
        {
            foreach (var (watcher, usage) in usages)
            {
                section.Row(watcher, targets.ToString(CultureInfo.InvariantCulture), Cpu(usage), Mb(usage.Memory.ResidentBytes), Mb(usage.Memory.PeakResidentBytes));
            }
        }

        // The targets are judged on the probe as it is deployed: natively compiled when `make publish` built it.
        var probe = context.NativeProbe is null ? ManagedProbe : NativeProbe;
        var memoryRatio = three[probe].Memory.ResidentBytes / (double)three[Blackbox].Memory.ResidentBytes;
        var cpuRatio = hundred[probe].CpuPercent / hundred[FpingLoop].CpuPercent;
        section.Target($"Memory at most 1.5 x blackbox_exporter's (3 targets; {probe})", memoryRatio <= 1.5, $"{memoryRatio.ToString("0.0", CultureInfo.InvariantCulture)} x");
        section.Target($"CPU at 100 targets at most 2 x fping's ({probe})", cpuRatio <= 2, $"{cpuRatio.ToString("0.0", CultureInfo.InvariantCulture)} x");
        section.Note($"CPU: user + system time from /proc/PID/stat over {Window.TotalSeconds} s after a {WarmUp.TotalSeconds} s warm-up, every watcher in the same minute; memory: VmRSS and VmHWM from /proc/PID/status at the end. The probe runs with DNS and HTTP jobs off and no gateway, scraped every {ScrapeEvery.TotalSeconds} s; each probe in a namespace of its own (the same loopback targets).");
        return section;
    }

    private const string ManagedProbe = "probe (dotnet, as `make run`)";
    private const string NativeProbe = "probe (native, `make publish`)";
    private const string Blackbox = "prometheus-blackbox-exporter";
    private const string FpingLoop = "fping -l";

    private static async Task<Dictionary<string, Usage>> MeasureAsync(BenchContext context, IReadOnlyList<string> targets, bool withBlackbox, CancellationToken cancellationToken)
    {
        await using var network = await NetworkNamespace.CreateAsync();
        await using var nativeNetwork = await NetworkNamespace.CreateAsync();
        await using var probe = await context.StartProbeAsync(network, Names(targets));
        await using var native = context.NativeProbe is null ? null : await BenchContext.StartProbeAsync(context.NativeProbe, nativeNetwork, Names(targets));
        using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
        await using var blackbox = withBlackbox ? await BlackboxExporter.StartAsync(network, client, cancellationToken) : null;
        await using var fping = Fping.Loop(network, targets, TimeSpan.FromSeconds(1));

        var watchers = new Dictionary<string, int> { [ManagedProbe] = probe.Id };
        if (native is not null)
        {
            watchers[NativeProbe] = native.Id;
        }

        if (blackbox is not null)
        {
            watchers[Blackbox] = blackbox.Process.Id;
        }

        watchers[FpingLoop] = fping.Id;
        async Task EverySecond()
        {
            foreach (var target in blackbox is null ? [] : targets)
            {
                using var response = await client.GetAsync(BlackboxExporter.ProbeUrl(target), cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }

        async Task Scrape()
        {
            foreach (var scraped in native is null ? [probe] : new[] { probe, native })
            {
                _ = await scraped.TryMetricsAsync() ?? throw new LabException("a probe did not answer /metrics");
            }
        }

        await RunForAsync(WarmUp, EverySecond, Scrape, cancellationToken);
        var start = watchers.ToDictionary(watcher => watcher.Key, watcher => ProcessUsage.Read(watcher.Value));
        var measured = Stopwatch.StartNew();
        await RunForAsync(Window, EverySecond, Scrape, cancellationToken);
        var elapsed = measured.Elapsed;
        var usages = new Dictionary<string, Usage>();
        foreach (var (watcher, pid) in watchers)
        {
            var end = ProcessUsage.Read(pid);
            usages[watcher] = new Usage(end.CpuPercentSince(start[watcher], elapsed), end);
        }

        return usages;
    }

    /// <summary>Does <paramref name="everySecond"/> once a second and <paramref name="scrape"/> every 15 s, for <paramref name="duration"/>.</summary>
    private static async Task RunForAsync(TimeSpan duration, Func<Task> everySecond, Func<Task> scrape, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var nextScrape = TimeSpan.Zero;
        for (var second = 1; clock.Elapsed < duration; second++)
        {
            await everySecond();
            if (clock.Elapsed >= nextScrape)
            {
                nextScrape += ScrapeEvery;
                await scrape();
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
