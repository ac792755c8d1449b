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
/// side by side. Then 1,000 targets (127.0.0.1 upwards, every one answered by the kernel) at 1 Hz: the probes next
/// to fping, and every echo the probes sent in the minute counted. The probes are scraped every 15 s, as Prometheus would.
/// </summary>
public sealed class CostScenario : IScenario
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ScrapeEvery = TimeSpan.FromSeconds(15);
    private const int ManyTargets = 1000;
    private const double MiB = 1024 * 1024;

    public string Name => "cost";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var section = new ReportSection("5. Cost", "Watcher", "Targets at 1 Hz", "CPU (% of one core)", "Resident memory", "Peak resident memory", "Echoes lost");

        var three = await MeasureAsync(context, Loopback(3), withBlackbox: true, cancellationToken);
        var many = await MeasureAsync(context, Loopback(ManyTargets), withBlackbox: false, cancellationToken);
        foreach (var (targets, usages) in new[] { (3, three), (ManyTargets, many) })
        {
            foreach (var (watcher, usage) in usages)
            {
                section.Row(watcher, targets.ToString("N0", CultureInfo.InvariantCulture), Cpu(usage), Mb(usage.Memory.ResidentBytes), Mb(usage.Memory.PeakResidentBytes), Lost(usage));
            }
        }

        // The targets are judged on the probe as it is deployed: natively compiled when `make publish` built it.
        var probe = context.NativeProbe is null ? ManagedProbe : NativeProbe;
        var memoryRatio = three[probe].Memory.ResidentBytes / (double)three[Blackbox].Memory.ResidentBytes;
        var managed = three[ManagedProbe].Memory.ResidentBytes / MiB;
        var cpuRatio = many[probe].CpuPercent / many[FpingLoop].CpuPercent;
        var manyMemory = many[probe].Memory.ResidentBytes / MiB;
        var lost = many.Values.Where(usage => usage.Echoes is not null).Sum(usage => usage.Echoes!.Value.Lost);
        section.Target($"Memory at 3 targets at most blackbox_exporter's ({probe})", memoryRatio <= 1, $"{BenchContext.Ratio(memoryRatio)} x");
        section.Target("Memory at 3 targets at most 60 MiB (probe under dotnet, as `make run`)", managed <= 60, Mb(three[ManagedProbe].Memory.ResidentBytes));
        section.Target($"CPU at {ManyTargets:N0} targets at most 1.5 x fping -l's ({probe})", cpuRatio <= 1.5, $"{BenchContext.Ratio(cpuRatio)} x");
        section.Target($"Memory at {ManyTargets:N0} targets at most 64 MiB ({probe})", manyMemory <= 64, Mb(many[probe].Memory.ResidentBytes));
        section.Target($"No echo lost at {ManyTargets:N0} targets (every probe; the kernel answers each)", lost == 0, $"{lost} lost");
        section.Note($"CPU: user + system time from /proc/PID/stat over {Window.TotalSeconds} s after a {WarmUp.TotalSeconds} s warm-up, every watcher in the same minute; memory: VmRSS and VmHWM from /proc/PID/status at the end. The probe runs with DNS and HTTP jobs off and no gateway, scraped every {ScrapeEvery.TotalSeconds} s; each probe in a namespace of its own (the same loopback targets). fping: `fping -l -p 1000 -i {FpingInterval(ManyTargets)}`, its output discarded.");
        section.Note("Echoes: what the probe sent in the minute (`internet_monitor_ping_packets_sent_total`) and how many of them timed out (`internet_monitor_ping_failures_total`), read at the window's ends; an echo sent in its last two seconds may still be in flight and is not counted.");
        return section;
    }

    private static string Lost(Usage usage) => usage.Echoes is { } echoes
        ? string.Create(CultureInfo.InvariantCulture, $"{echoes.Lost} of {echoes.Sent:N0}")
        : "-";

    /// <summary>fping's gap between any two sends, in milliseconds: short enough to reach every target once a second.</summary>
    private static string FpingInterval(int targets) => (Math.Min(5.0, 500.0 / targets)).ToString("0.###", CultureInfo.InvariantCulture);

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
        await using var fping = Fping.Loop(network, targets, TimeSpan.FromSeconds(1), FpingInterval(targets.Count));

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

        var probes = new Dictionary<string, ProbeProcess> { [ManagedProbe] = probe };
        if (native is not null)
        {
            probes[NativeProbe] = native;
        }

        await RunForAsync(WarmUp, EverySecond, Scrape, cancellationToken);
        var start = watchers.ToDictionary(watcher => watcher.Key, watcher => ProcessUsage.Read(watcher.Value));
        var counted = new Dictionary<string, (double Sent, double Lost)>();
        foreach (var (watcher, scraped) in probes)
        {
            counted[watcher] = await EchoesAsync(scraped);
        }

        var measured = Stopwatch.StartNew();
        await RunForAsync(Window, EverySecond, Scrape, cancellationToken);
        var elapsed = measured.Elapsed;
        var usages = new Dictionary<string, Usage>();
        foreach (var (watcher, pid) in watchers)
        {
            var end = ProcessUsage.Read(pid);
            usages[watcher] = new Usage(end.CpuPercentSince(start[watcher], elapsed), end, null);
        }

        // Two seconds (the echo timeout) after the window, every echo sent in it has resolved: the losses are read then.
        var sentAtEnd = new Dictionary<string, double>();
        foreach (var (watcher, scraped) in probes)
        {
            sentAtEnd[watcher] = (await EchoesAsync(scraped)).Sent;
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
        foreach (var (watcher, scraped) in probes)
        {
            var lostAtEnd = (await EchoesAsync(scraped)).Lost;
            usages[watcher] = usages[watcher] with { Echoes = ((long)(sentAtEnd[watcher] - counted[watcher].Sent), (long)(lostAtEnd - counted[watcher].Lost)) };
        }

        return usages;
    }

    private static async Task<(double Sent, double Lost)> EchoesAsync(ProbeProcess probe)
    {
        var metrics = await probe.TryMetricsAsync() ?? throw new LabException("a probe did not answer /metrics");
        return (metrics.Sum("internet_monitor_ping_packets_sent_total"), metrics.Sum("internet_monitor_ping_failures_total"));
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

    /// <summary>127.0.0.1, 127.0.0.2, ... as many as asked (past .255 into 127.0.1.0 and on).</summary>
    private static List<string> Loopback(int count) =>
        [.. Enumerable.Range(1, count).Select(n => string.Create(CultureInfo.InvariantCulture, $"127.0.{n / 256}.{n % 256}"))];

    private static Dictionary<string, string> Names(IReadOnlyList<string> targets) =>
        targets.Select((address, i) => ($"lo{i + 1}", address)).ToDictionary(pair => pair.Item1, pair => pair.address);

    private static string Cpu(Usage usage) => usage.CpuPercent.ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    private sealed record Usage(double CpuPercent, ProcessUsage Memory, (long Sent, long Lost)? Echoes);
}
