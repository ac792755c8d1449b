using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.SpeedTest;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// SD card wear: the bytes the probe writes at its defaults, from /proc/PID/io, scaled to a day. Three loopback anchors
/// in a namespace that holds only loopback, no gateway; every other setting the default, so the DNS, HTTP and
/// speed-test jobs run on their schedules against servers this namespace cannot reach (each failure is written to the
/// history as a run would be). Two parts, each scaled by how often it happens: ten minutes after a two-minute warm-up
/// (the history opened, the scheduled speed test at start done), which hold one commit of the latency roll-ups
/// (written every ten minutes) and no speed test, times 144; then one speed test asked for on its own, until its row
/// is in the history, times the runs a day at the default interval.
/// </summary>
public sealed class WritesScenario : IScenario
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private const double TargetBytesPerDay = 20_000_000;

    public string Name => "writes";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var network = await NetworkNamespace.CreateAsync();
        var program = context.NativeProbe ?? context.Probe;
        var targets = new Dictionary<string, string> { ["a"] = "127.0.0.1", ["b"] = "127.0.0.2", ["c"] = "127.0.0.3" };
        var defaults = new Dictionary<string, string>
        {
            // The jobs the benchmark's other probes leave off are on here, as they are by default.
            ["Monitor__Dns__Enabled"] = "true",
            ["Monitor__Http__Enabled"] = "true",
            ["Monitor__SpeedTest__Enabled"] = "true",

            // The lab writes each minute at once for the tests that read it; the default is named here.
            ["Monitor__History__LatencyWriteEvery"] = "00:10:00",

            // The scheduled run at start rather than at a random time in its first five minutes, so that it falls in the
            // warm-up and never in the window; one run is measured on its own below.
            ["Monitor__SpeedTest__StartJitter"] = "00:00:00",
        };
        await using var probe = await BenchContext.StartProbeAsync(program, network, targets, defaults);
        await Task.Delay(WarmUp, cancellationToken);
        var start = ProcessWrites.Read(probe.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window, cancellationToken);
        var steady = (ProcessWrites.Read(probe.Id) - start).PerDay(clock.Elapsed);

        var rowsBefore = Rows(await probe.TryGetAsync("/api/history/speedtests") ?? throw new LabException($"the probe does not answer\n{probe.Log}"));
        var beforeRun = ProcessWrites.Read(probe.Id);
        var asked = await probe.PostJsonAsync(SpeedTestRunEndpoints.Path, "{}");
        if (asked != 202) // Accepted: started
        {
            throw new LabException($"asking for a speed test answered {asked}\n{probe.Log}");
        }

        await Polling.UntilAsync(
            () => probe.TryGetAsync("/api/history/speedtests"),
            rows => rows is not null && Rows(rows) > rowsBefore,
            "the asked-for speed test's row in the history", TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250),
            cancellationToken: cancellationToken);
        var runsADay = TimeSpan.FromDays(1) / new SpeedTestOptions().Interval;
        var run = ProcessWrites.Read(probe.Id) - beforeRun;
        var day = steady + run.Times(runsADay);

        var section = new ReportSection("11. Writes (SD card wear)", "Watcher", "Reached storage per day (write_bytes)", "Handed to write(2) per day (wchar)", "Write calls per day");
        var watcher = context.NativeProbe is null ? "probe (dotnet, as `make run`)" : "probe (native, `make publish`)";
        section.Row(watcher, Mb(day.StorageBytes), Mb(day.WrittenBytes), day.WriteCalls.ToString("N0", CultureInfo.InvariantCulture));
        section.Note($"/proc/PID/io over {Window.TotalMinutes:0} min after a {WarmUp.TotalMinutes:0} min warm-up (one commit of the latency roll-ups, no speed test), times {TimeSpan.FromDays(1) / Window:0}; plus one speed test (failing: no route) asked for after it, {run.StorageBytes / 1e3:0} kB until its row was in the history, times {runsADay:0} (a day at the default interval). write_bytes counts the pages the process dirtied in files (the history's database, its WAL and shared-memory file, the data budget's state), whether or not the kernel had written them out yet; wchar also counts what went to standard output (the log, which a service manager or Docker keeps where it is configured to).");
        section.Note("What writes less: docs/history.md, \"Writing less to an SD card\".");
        section.Target("Probe writes at most 20 MB a day at its defaults", day.StorageBytes <= TargetBytesPerDay, $"{Mb(day.StorageBytes)} a day");
        return section;
    }

    private static int Rows(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetArrayLength();
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
