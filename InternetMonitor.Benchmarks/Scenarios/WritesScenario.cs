using System.Diagnostics;
using System.Globalization;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// SD card wear: the bytes the probe writes at its defaults, from /proc/PID/io over ten minutes after a two-minute
/// warm-up (the history opened, its first minutes written), scaled to a day. Three loopback anchors in a namespace
/// that holds only loopback, no gateway; every other setting the default, so the DNS, HTTP and speed-test jobs run on
/// their schedules against servers this namespace cannot reach (each failure is written to the history as a run would be).
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
            ["Monitor__History__LatencyWriteEvery"] = "00:05:00",
        };
        await using var probe = await BenchContext.StartProbeAsync(program, network, targets, defaults);
        await Task.Delay(WarmUp, cancellationToken);
        var start = ProcessWrites.Read(probe.Id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(Window, cancellationToken);
        var day = (ProcessWrites.Read(probe.Id) - start).PerDay(clock.Elapsed);

        var section = new ReportSection("10. Writes (SD card wear)", "Watcher", "Reached storage per day (write_bytes)", "Handed to write(2) per day (wchar)", "Write calls per day");
        var watcher = context.NativeProbe is null ? "probe (dotnet, as `make run`)" : "probe (native, `make publish`)";
        section.Row(watcher, Mb(day.StorageBytes), Mb(day.WrittenBytes), day.WriteCalls.ToString("N0", CultureInfo.InvariantCulture));
        section.Note($"/proc/PID/io over {Window.TotalMinutes:0} min after a {WarmUp.TotalMinutes:0} min warm-up, times {TimeSpan.FromDays(1) / Window:0}. write_bytes counts the pages the process dirtied in files (the history's database, its WAL and shared-memory file, the data budget's state), whether or not the kernel had written them out yet; wchar also counts what went to standard output (the log, which a service manager or Docker keeps where it is configured to).");
        section.Note("What writes less: README, \"Writing less to an SD card\".");
        section.Target("Probe writes at most 20 MB a day at its defaults", day.StorageBytes <= TargetBytesPerDay, $"{Mb(day.StorageBytes)} a day");
        return section;
    }

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
