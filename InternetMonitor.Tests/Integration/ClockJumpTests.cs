using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using InternetMonitor.Lab;
using InternetMonitor.Tests.History;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// The probe as a process of its own, its wall clock stepped under libfaketime while it runs, as a Raspberry Pi without a
/// real-time clock lives it: started a year behind the history an earlier run left, then set forward a year (to an hour
/// after that run's start), then back an hour (over that run's minutes). Checked through its real interfaces: no phantom
/// outage and a real one still seen and measured, no burst and no pause of the scheduler, the data budget neither reset
/// nor charged twice, no latency minute lost or written twice, no negative duration (docs/time.md). ICMP round trips are
/// left out: under libfaketime the kernel's arrival stamps stay real while the send stamps are faked.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class ClockJumpTests
{
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);

    [Fact]
    public async Task A_probe_started_a_year_behind_its_history_and_stepped_forward_a_year_and_back_an_hour_keeps_its_figures_right()
    {
        var library = LibFaketime();
        Prerequisite.Require(library is not null, "needs libfaketime (Debian package faketime; `make test` installs it)");
        Prerequisite.RequireProgram("iptables", "iptables");
        await using var network = await LabFixture.NamespaceAsync();
        await using var server = NamespaceThread.Run(network, () => new FaultySpeedTestServer(SpeedTestServerFault.None));
        var folder = Directory.CreateTempSubdirectory("im-clock-jump-").FullName;
        var data = Path.Combine(folder, "data");
        var offset = Path.Combine(folder, "faketime.rc");
        var history = Path.Combine(data, "history.db");
        var settings = Settings(data, server.Url);
        int? faked = null;
        try
        {
            // The earlier run, on the real clock: one speed test, echoes, then a clean stop.
            var firstStart = DateTimeOffset.UtcNow;
            MetricsText first;
            await using (var probe = ProbeProcess.Start(network, LabFixture.ProbeProgram, settings))
            {
                first = await probe.UntilAsync(
                    m => m.Value("internet_monitor_upload_total", ("server", "peer")) == 1 && m.Value("internet_monitor_ping_packets_sent_total", ("target", "a")) >= 50,
                    "the first run's speed test and echoes");
            }

            var budgetBefore = first.Value("internet_monitor_speedtest_budget_used_bytes", ("period", "day"))!.Value;
            Dictionary<string, long> minutesBefore;
            using (var connection = HistoryFile.Open(history))
            {
                minutesBefore = Minutes(connection);
            }

            // Started a year behind, with CLOCK_MONOTONIC left real (and libfaketime's "monotonic fix" off: with it, glibc
            // 2.36's timed waits on a CLOCK_MONOTONIC condition return at once, and every wait of the runtime spins).
            await File.WriteAllTextAsync(offset, "-365d\n", TestContext.Current.CancellationToken);
            settings["LD_PRELOAD"] = library!;
            settings["FAKETIME_TIMESTAMP_FILE"] = offset;
            settings["FAKETIME_NO_CACHE"] = "1";
            settings["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
            settings["FAKETIME_FORCE_MONOTONIC_FIX"] = "0";
            var elapsed = Stopwatch.StartNew();
            MetricsText last;
            using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
            client.BaseAddress = new Uri($"http://127.0.0.1:{ProbeProcess.Port}");
            await using (var probe = ProbeProcess.Start(network, LabFixture.ProbeProgram, settings))
            {
                faked = probe.Id;
                var stale = await probe.UntilAsync(
                    m => m.Value("internet_monitor_upload_total", ("server", "peer")) == 1 && m.Value("internet_monitor_up") == 1,
                    "the speed test at the start a year behind");
                var seen = await CheckedAtAsync(probe);
                Assert.InRange(firstStart - seen, Year - TimeSpan.FromMinutes(10), Year); // the runtime sees the faked time
                Assert.Equal(budgetBefore + Bytes(stale), stale.Value("internet_monitor_speedtest_budget_used_bytes", ("period", "day"))); // not reset
                await AssertHistoryReadsAsync(client);

                // Forward a year, to an hour after the earlier run's start; then back an hour, over that run's minutes.
                var forward = (long)Math.Round((firstStart + TimeSpan.FromHours(1) - DateTimeOffset.UtcNow).TotalSeconds);
                await StepAsync(probe, offset, forward, firstStart + TimeSpan.FromHours(1));
                await AssertSchedulerRunsAsync(probe);
                await StepAsync(probe, offset, forward - 3600, firstStart);
                await AssertSchedulerRunsAsync(probe); // not put off for an hour

                var steady = await probe.UntilAsync(m => m.Value("internet_monitor_ping_packets_sent_total", ("target", "a")) >= 50, "echoes");
                Assert.Equal(0, Outages(steady)); // no phantom outage
                Assert.Equal(0, Scalar(await client.GetStringAsync(new Uri("/api/history/outages?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", UriKind.Relative), TestContext.Current.CancellationToken)));

                // A speed test asked for now: charged once, into the day and month the earlier run began.
                using (var body = new StringContent("{}", Encoding.UTF8, "application/json"))
                using (var run = await client.PostAsync(new Uri("/api/speedtests/run", UriKind.Relative), body, TestContext.Current.CancellationToken))
                {
                    Assert.Equal(System.Net.HttpStatusCode.Accepted, run.StatusCode);
                }

                var charged = await probe.UntilAsync(m => m.Value("internet_monitor_upload_total", ("server", "peer")) == 2, "the speed test asked for");
                Assert.Equal(budgetBefore + Bytes(charged), charged.Value("internet_monitor_speedtest_budget_used_bytes", ("period", "day")));
                Assert.Equal(budgetBefore + Bytes(charged), charged.Value("internet_monitor_speedtest_budget_used_bytes", ("period", "month")));

                // A real outage after the clock went back: seen (echoes are not ignored for an hour) and measured on the
                // monotonic clock.
                await network.RunAsync(["iptables", "-A", .. SilentAnchors]);
                var silence = Stopwatch.StartNew();
                await probe.UntilAsync(m => m.Value("internet_monitor_up") == 0 && Outages(m) == 1, "the outage declared");
                await network.RunAsync(["iptables", "-D", .. SilentAnchors]);
                await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "the outage over");
                silence.Stop();

                last = await probe.UntilAsync(m => m.Value("internet_monitor_ping_packets_sent_total", ("target", "a")) > steady.Value("internet_monitor_ping_packets_sent_total", ("target", "a")), "echoes after the outage");
                var seconds = OutageSeconds(await client.GetStringAsync(new Uri("/api/history/outages?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", UriKind.Relative), TestContext.Current.CancellationToken));
                Assert.InRange(seconds, 0.99, silence.Elapsed.TotalSeconds); // at least DownAfter, no longer than the silence
                Assert.Equal(0, last.Value("internet_monitor_job_skipped_runs_total", ("check", "dns"), ("reason", "overrun")));
                var dnsRuns = Runs(last, "dns");
                Assert.InRange(dnsRuns, 1, elapsed.Elapsed.TotalSeconds + 1); // one a second at most: no burst
                TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{elapsed.Elapsed.TotalSeconds:0} s under libfaketime: {dnsRuns} DNS runs, 0 overrun; budget {budgetBefore} + {Bytes(charged)} bytes; outage {seconds:0.000} s of a {silence.Elapsed.TotalSeconds:0.000} s silence"));
            }

            using (var connection = HistoryFile.Open(history))
            {
                // No minute lost or written twice: every echo in the rows, the earlier run's minutes whole, one named twice merged.
                var minutes = Minutes(connection);
                Assert.Equal(HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"), HistoryFile.Scalar<long>(connection, "SELECT count(DISTINCT target || minute) FROM latency_minutes"));
                Assert.All(minutesBefore, before => Assert.True(minutes[before.Key] >= before.Value, $"minute {before.Key} lost echoes"));
                Assert.Contains(minutesBefore, before => minutes[before.Key] > before.Value);
                var sent = first.Value("internet_monitor_ping_packets_sent_total", ("target", "a"))!.Value + last.Value("internet_monitor_ping_packets_sent_total", ("target", "a"))!.Value;
                Assert.True(HistoryFile.Scalar<double>(connection, "SELECT sum(sent) FROM latency_minutes WHERE target = 'a'") >= sent, "echoes missing from the minutes");

                // Durations: none negative or absurd.
                Assert.Equal(3, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM speed_tests"));
                Assert.Equal(0, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM speed_tests WHERE ended_at < started_at OR ended_at - started_at > 600000"));
                Assert.Equal("1|1", HistoryFile.Row(connection, "SELECT count(*), sum(ended_at > started_at AND ended_at - started_at < 600000) FROM outages"));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            if (faked is { } id)
            {
                // libfaketime's shared memory, made by `ip netns exec` (preloaded too), which became the probe by exec and
                // so never ran the library's clean-up: left behind, a later process with that id would fail to start.
                File.Delete($"/dev/shm/faketime_shm_{id}");
                File.Delete($"/dev/shm/sem.faketime_sem_{id}");
            }
        }
    }

    /// <summary>The anchors silenced (iptables, INPUT), the speed-test server on 127.0.0.1 still reached.</summary>
    private static readonly string[] SilentAnchors = ["INPUT", "-p", "icmp", "--icmp-type", "echo-request", "-d", "127.0.0.2/31", "-j", "DROP"];

    /// <summary>
    /// Two anchors on loopback (echoes every 0.2 s, an outage after 1 s of silence), no gateway, a speed test at the start
    /// against the lab's server, and a DNS job every second at a loopback port where nothing answers (its runs count the
    /// scheduler's ticks); the data folder given, so that the two runs share the history and the budget.
    /// </summary>
    private static Dictionary<string, string> Settings(string data, Uri server)
    {
        var settings = ProbeHost.Environment([.. ProbeHost.ScheduledSpeedTestArguments(server, "budget.json")]);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["Monitor__DataDirectory"] = data,
            ["Monitor__Targets__Public__a"] = "127.0.0.2",
            ["Monitor__Targets__Public__b"] = "127.0.0.3",
            ["Monitor__Targets__Gateway"] = "none",
            ["Monitor__Icmp__Interval"] = "00:00:00.2",
            ["Monitor__Icmp__Timeout"] = "00:00:00.5",
            ["Monitor__Outage__DownAfter"] = "00:00:01",
            ["Monitor__Dns__Interval"] = "00:00:01",
            ["Monitor__Dns__StartJitter"] = "00:00:00",
            ["Monitor__Dns__Timeout"] = "00:00:00.5",
            ["Monitor__Dns__SystemResolver"] = "false",
            ["Monitor__Dns__Names__0"] = "example.com",
            ["Monitor__Dns__Servers__lo"] = "127.0.0.1:53",
            ["Monitor__Http__Enabled"] = "false",
            ["Monitor__SpeedTest__Budget__Monthly"] = "10000000000",
        })
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Sets the faked clock to <paramref name="seconds"/> from the real one and waits until the probe's wall clock is near <paramref name="expected"/>.</summary>
    private static async Task StepAsync(ProbeProcess probe, string offset, long seconds, DateTimeOffset expected)
    {
        await File.WriteAllTextAsync(offset, string.Create(CultureInfo.InvariantCulture, $"{seconds:+0;-0}\n"), TestContext.Current.CancellationToken);
        await Poll.UntilAsync(async () => Math.Abs((await CheckedAtAsync(probe) - expected).TotalMinutes) < 5, $"the probe's clock near {expected:u}");
    }

    /// <summary>The DNS job runs on after a step: three runs within a few seconds.</summary>
    private static async Task AssertSchedulerRunsAsync(ProbeProcess probe)
    {
        var before = Runs((await probe.TryMetricsAsync())!, "dns");
        var after = await probe.UntilAsync(m => Runs(m, "dns") >= before + 3, "three DNS runs after the step", TimeSpan.FromSeconds(15));
        Assert.Equal(0, after.Value("internet_monitor_job_skipped_runs_total", ("check", "dns"), ("reason", "overrun")));
    }

    /// <summary>The history reads with rows "in the future" of the clock: every table answers, and every duration is at least zero.</summary>
    private static async Task AssertHistoryReadsAsync(HttpClient client)
    {
        foreach (var table in (string[])["speedtests", "outages", "alerts", "latency", "availability"])
        {
            using var response = await client.GetAsync(new Uri($"/api/history/{table}?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        using var speedTests = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/history/speedtests?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Equal(2, speedTests.RootElement.GetArrayLength()); // the earlier run's, a year "ahead", and this one's
        Assert.All(speedTests.RootElement.EnumerateArray(), row => Assert.True(row.GetProperty("endedAt").GetDateTimeOffset() >= row.GetProperty("startedAt").GetDateTimeOffset()));
    }

    private static async Task<DateTimeOffset> CheckedAtAsync(ProbeProcess probe)
    {
        var status = await Poll.UntilAsync(() => probe.TryGetAsync("/api/status"), body => body is not null, "/api/status");
        using var document = JsonDocument.Parse(status!);
        return document.RootElement.GetProperty("checkedAt").GetDateTimeOffset();
    }

    private static Dictionary<string, long> Minutes(SqliteConnection connection) =>
        HistoryFile.Column(connection, "SELECT target || '@' || minute || '=' || sent FROM latency_minutes")
            .Select(row => row.Split('='))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static double Bytes(MetricsText metrics) =>
        metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "download"))!.Value + metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "upload"))!.Value;

    private static double Outages(MetricsText metrics) =>
        new[] { "local", "internet", "unknown" }.Sum(cause => metrics.Value("internet_monitor_outages_total", ("cause", cause)) ?? 0);

    private static double Runs(MetricsText metrics, string job) =>
        (metrics.Value("internet_monitor_job_runs_total", ("check", job), ("outcome", "success")) ?? 0) + (metrics.Value("internet_monitor_job_runs_total", ("check", job), ("outcome", "failure")) ?? 0);

    private static int Scalar(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetArrayLength();
    }

    private static double OutageSeconds(string json)
    {
        using var document = JsonDocument.Parse(json);
        var outage = Assert.Single(document.RootElement.EnumerateArray());
        Assert.False(outage.GetProperty("ongoing").GetBoolean());
        return outage.GetProperty("durationSeconds").GetDouble();
    }

    /// <summary>Debian's libfaketime for this machine's architecture, or null.</summary>
    private static string? LibFaketime()
    {
        var triplet = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64-linux-gnu",
            Architecture.Arm64 => "aarch64-linux-gnu",
            Architecture.Arm => "arm-linux-gnueabihf",
            _ => null,
        };
        var path = $"/usr/lib/{triplet}/faketime/libfaketime.so.1";
        return triplet is not null && File.Exists(path) ? path : null;
    }
}
