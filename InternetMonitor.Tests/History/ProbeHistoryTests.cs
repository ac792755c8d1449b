using System.Globalization;
using System.Net;
using System.Text;
using InternetMonitor.Lab;
using InternetMonitor.Probe.History;
using InternetMonitor.Tests.Probing.SpeedTest;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The whole probe keeping its history: what it wrote is what it reported (a speed test's figures against its
/// metrics, every echo in the minute roll-ups), and a probe killed with SIGKILL while it writes, or in the middle of a
/// speed test, loses no row it had acknowledged or reported and leaves a database that opens, whole.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class ProbeHistoryTests
{
    [Fact]
    public async Task The_history_holds_the_figures_the_probe_reported()
    {
        await using var server = await SpeedTestServerTypeTests.StartServingProbeAsync();
        var folder = Directory.CreateTempSubdirectory("im-history-probe-").FullName;
        var history = Path.Combine(folder, "history.db");
        try
        {
            var client = await ProbeHost.StartAsync([.. ProbeHost.ScheduledSpeedTestArguments(ProbeHost.BaseAddress(server), Path.Combine(folder, "budget.json")), $"--Monitor:History:Path={history}"]);
            MetricsText metrics;
            double sentUntilStopped;
            await using (client)
            {
                metrics = await ProbeHost.WaitForMetricsAsync(client, m => m.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 1
                    && m.Value("internet_monitor_upload_total", ("server", "peer")) == 1); // its figures are set once its row is kept
                using var http = new HttpClient();
                using var body = new StringContent("""{"status":"firing","alerts":[{"labels":{"alertname":"HighLatency","severity":"warning"},"startsAt":"2026-11-25T10:00:00Z","fingerprint":"h1"}]}""", Encoding.UTF8, "application/json");
                using var posted = await http.PostAsync(new Uri(ProbeHost.BaseAddress(client), "/api/alerts"), body, TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
                await client.StopAsync(TestContext.Current.CancellationToken); // writes the minutes still open

                // The registry as it stands after the stop: every echo the ping job reported, to its last one.
                sentUntilStopped = (await LabFixture.ScrapeAsync(client.Services.GetRequiredService<CollectorRegistry>())).Value("internet_monitor_ping_packets_sent_total", ("target", "lo"))!.Value;
            }

            using var connection = HistoryFile.Open(history);
            var download = metrics.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "download"), ("server", "peer"))!.Value;
            var upload = metrics.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "upload"), ("server", "peer"))!.Value;
            Assert.Equal(
                string.Create(CultureInfo.InvariantCulture, $"peer|{download * 8}|{upload * 8}|{metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "download"))}|{metrics.Value("internet_monitor_speedtest_bytes_total", ("direction", "upload"))}|"),
                HistoryFile.Row(connection, "SELECT server, download_bits_per_second, upload_bits_per_second, download_bytes, upload_bytes, reason FROM speed_tests"));
            Assert.Equal("HighLatency|warning|firing", HistoryFile.Row(connection, "SELECT alert_name, severity, status FROM alerts"));

            // Every echo the probe reported is in a minute of its own target, the last ones too (the roll-ups are written
            // after the ping job has stopped), none lost on loopback, and the figures in order.
            Assert.Equal(sentUntilStopped, HistoryFile.Scalar<double>(connection, "SELECT sum(sent) FROM latency_minutes WHERE target = 'lo'"));
            Assert.Equal(0, HistoryFile.Scalar<double>(connection, "SELECT sum(lost) FROM latency_minutes"));
            Assert.Equal(0, HistoryFile.Scalar<double>(connection, "SELECT count(*) FROM latency_minutes WHERE NOT (min_ms <= median_ms AND median_ms <= p90_ms AND p90_ms <= max_ms AND min_ms > 0)"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Every_dns_query_the_probe_reported_is_in_a_minute_of_its_server_with_its_failure()
    {
        await using var dns = UdpDnsResponder.WithResponseCode(2); // SERVFAIL: every query fails
        var folder = Directory.CreateTempSubdirectory("im-history-dns-").FullName;
        var history = Path.Combine(folder, "history.db");
        try
        {
            double queries;
            await using (var probe = await ProbeHost.StartAsync(
                "--Monitor:Dns:Enabled=true",
                "--Monitor:Dns:SystemResolver=false",
                $"--Monitor:Dns:Servers:own={dns.Endpoint}",
                "--Monitor:Dns:Names:0=example.test",
                "--Monitor:Dns:Interval=00:00:01",
                "--Monitor:Dns:Timeout=00:00:00.5",
                "--Monitor:Dns:StartJitter=00:00:00",
                $"--Monitor:History:Path={history}"))
            {
                await ProbeHost.WaitForMetricsAsync(probe, m => m.Value("internet_monitor_dns_failures_total", ("server", "own"), ("name", "example.test"), ("reason", "servfail")) >= 3);
                await probe.StopAsync(TestContext.Current.CancellationToken); // writes the minutes still open
                queries = (await LabFixture.ScrapeAsync(probe.Services.GetRequiredService<CollectorRegistry>())).Value("internet_monitor_dns_requests_total", ("server", "own"), ("name", "example.test"), ("rcode", "SERVFAIL"))!.Value;
            }

            using var connection = HistoryFile.Open(history);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{queries}|{queries}|"), HistoryFile.Row(connection, "SELECT sum(queries), sum(failures), max(median_ms) FROM dns_minutes WHERE server = 'own'"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_speed_test_asked_for_now_answers_where_its_row_will_be_and_the_row_is_there()
    {
        await using var server = await SpeedTestServerTypeTests.StartServingProbeAsync();
        var folder = Directory.CreateTempSubdirectory("im-history-run-").FullName;
        try
        {
            await using var client = await ProbeHost.StartAsync([.. ProbeHost.ScheduledSpeedTestArguments(ProbeHost.BaseAddress(server), Path.Combine(folder, "budget.json")), $"--Monitor:History:Path={Path.Combine(folder, "history.db")}"]);
            await ProbeHost.WaitForMetricsAsync(client, m => m.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 1);
            using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(client) };

            using var accepted = await RunNowAsync(http, new Uri(ProbeHost.BaseAddress(client), "/api/speedtests/run"));
            using var again = await http.PostAsync(new Uri("/api/speedtests/run", UriKind.Relative), JsonBody(), TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var location = accepted.Headers.Location!;
            Assert.StartsWith("/api/history/speedtests?from=", location.OriginalString, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
            Assert.InRange(int.Parse(again.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 290, 300);
            await ProbeHost.WaitForMetricsAsync(client, m => m.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 2);
            using var rows = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(location, TestContext.Current.CancellationToken));
            var row = Assert.Single(rows.RootElement.EnumerateArray());
            Assert.Equal("success", row.GetProperty("result").GetString());
            Assert.True(row.GetProperty("downloadMbps").GetDouble() > 0);
            await client.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_probe_whose_database_is_damaged_says_so_and_measures_on()
    {
        var folder = Directory.CreateTempSubdirectory("im-history-damaged-").FullName;
        var history = Path.Combine(folder, "history.db");
        await File.WriteAllTextAsync(history, "not a database: a file the user put here, kept as it is", TestContext.Current.CancellationToken);
        try
        {
            await using var probe = await ProbeHost.StartAsync($"--Monitor:History:Path={history}");
            using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };
            using var body = new StringContent("""{"status":"firing","alerts":[{"labels":{"alertname":"Kept"},"startsAt":"2026-11-25T10:00:00Z","fingerprint":"d1"}]}""", Encoding.UTF8, "application/json");
            using (var posted = await http.PostAsync(new Uri("/api/alerts", UriKind.Relative), body, TestContext.Current.CancellationToken))
            {
                // Not kept, so not acknowledged: Alertmanager sends it again.
                Assert.Equal(HttpStatusCode.ServiceUnavailable, posted.StatusCode);
                Assert.Contains("not yet kept: the history database cannot be written (corrupt)", await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }

            var metrics = await ProbeHost.WaitForMetricsAsync(probe, m => m.Value("internet_monitor_history_write_failures_total", ("reason", "corrupt")) >= 1);
            var sent = metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "lo"))!.Value;
            await ProbeHost.WaitForMetricsAsync(probe, m => m.Value("internet_monitor_ping_packets_sent_total", ("target", "lo")) > sent + 5); // measuring on
            Assert.Equal(0, metrics.Value("internet_monitor_history_healthy"));
            Assert.True(metrics.Value("internet_monitor_history_pending_rows") >= 1);
            using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode); // degraded, not down
            Assert.Contains("\"history\":{\"status\":\"Degraded\"", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            using var read = await http.GetAsync(new Uri("/api/history/alerts", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Equal("the history database cannot be read (corrupt); the probe's log says why\n", await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)); // no path: that is for the log
            Assert.Equal("not a database: a file the user put here, kept as it is", await File.ReadAllTextAsync(history, TestContext.Current.CancellationToken));
            Assert.Equal(1, metrics.Value("internet_monitor_alert_notifications_rejected_total", ("reason", "not_kept")));

            // The file moved aside, as the message says: Alertmanager's next delivery is kept and acknowledged.
            File.Move(history, history + ".damaged");
            using (var again = await http.PostAsync(new Uri("/api/alerts", UriKind.Relative), body, TestContext.Current.CancellationToken))
            {
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            }

            using (var connection = HistoryFile.Open(history))
            {
                Assert.Equal("Kept|firing", HistoryFile.Row(connection, "SELECT alert_name, status FROM alerts"));
            }

            await probe.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_probe_killed_while_it_writes_loses_no_acknowledged_row_and_leaves_a_database_that_opens()
    {
        Prerequisite.RequireRoot();
        await using var network = await NetworkNamespace.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("im-history-kill-").FullName;
        var history = Path.Combine(folder, "history.db");
        try
        {
            var probe = ProbeProcess.Start(network, LabFixture.ProbeProgram, ProbeHost.Environment(
                [.. ProbeHost.LoopbackArguments(), "--Monitor:Icmp:Interval=00:00:00.1", $"--Monitor:History:Path={history}"]));
            var acknowledged = new List<string>();
            await using (probe)
            {
                await probe.WaitForAsync(m => m.Value("internet_monitor_history_healthy") == 1, "the probe up", cancellationToken: TestContext.Current.CancellationToken);
                using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));

                // Alerts posted one after another, each answered only once it is committed; SIGKILL lands in the middle.
                Task? kill = null;
                for (var i = 0; ; i++)
                {
                    var fingerprint = $"k{i}";
                    try
                    {
                        using var body = new StringContent($$$"""{"status":"firing","alerts":[{"labels":{"alertname":"Kill{{{i % 50}}}"},"startsAt":"2026-11-25T10:00:00Z","fingerprint":"{{{fingerprint}}}"}]}""", Encoding.UTF8, "application/json");
                        using var response = await client.PostAsync(new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/alerts"), body, TestContext.Current.CancellationToken);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            acknowledged.Add(fingerprint);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        break; // killed
                    }
                    catch (TaskCanceledException)
                    {
                        break;
                    }

                    if (acknowledged.Count == 200)
                    {
                        kill = Task.Run(probe.KillAsync, TestContext.Current.CancellationToken);
                    }

                    Assert.True(i < 100_000, "the probe was never killed");
                }

                await kill!;
            }

            Assert.True(acknowledged.Count >= 200);
            using (var connection = HistoryFile.Open(history))
            {
                Assert.Equal("ok", HistoryFile.Scalar<string>(connection, "PRAGMA integrity_check"));
                var kept = new HashSet<string>(HistoryFile.Column(connection, "SELECT fingerprint FROM alerts"), StringComparer.Ordinal);
                Assert.DoesNotContain(acknowledged, fingerprint => !kept.Contains(fingerprint));
                Assert.InRange(kept.Count, acknowledged.Count, acknowledged.Count + 1); // at most one committed whose answer was cut
                TestContext.Current.TestOutputHelper?.WriteLine($"SIGKILL after {acknowledged.Count} acknowledged alerts: {kept.Count} rows kept, integrity_check ok");
            }

            // And the next probe writes on in it.
            using var writer = HistoryFile.Writer(history);
            Assert.True(writer.Commit(new LatencyMinuteRow("lo", "public", "127.0.0.1", DateTimeOffset.UnixEpoch, 1, 0, 1, 1, 1, 1)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_probe_killed_in_the_middle_of_a_speed_test_keeps_the_one_before_and_leaves_a_database_the_next_probe_opens()
    {
        Prerequisite.RequireRoot();
        await using var network = await NetworkNamespace.CreateAsync();

        // Inside the namespace, paced so that a test lasts several seconds: the kill lands in one.
        await using var server = NamespaceThread.Run(network, () => new FaultySpeedTestServer(SpeedTestServerFault.None, bytesPerSecondPerConnection: 250_000));
        var folder = Directory.CreateTempSubdirectory("im-history-kill-speedtest-").FullName;
        var history = Path.Combine(folder, "history.db");
        var settings = ProbeHost.Environment(
            [.. ProbeHost.LoopbackArguments(), .. ProbeHost.ScheduledSpeedTestArguments(server.Url, Path.Combine(folder, "budget.json")), $"--Monitor:History:Path={history}"]);
        try
        {
            MetricsText first;
            await using (var probe = ProbeProcess.Start(network, LabFixture.ProbeProgram, settings))
            {
                first = await probe.WaitForAsync(
                    m => m.Value("internet_monitor_job_runs_total", ("check", "speedtest"), ("outcome", "success")) == 1
                        && m.Value("internet_monitor_upload_total", ("server", "peer")) == 1, "the first speed test, its figures set once its row is kept",
                    TimeSpan.FromSeconds(120), cancellationToken: TestContext.Current.CancellationToken);
                using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
                var run = new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/speedtests/run");
                var connections = server.Accepted;
                using (var accepted = await RunNowAsync(client, run))
                {
                    Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                }

                // Under way, transferring, once it has opened a second connection to the server (the first serves its idle
                // round trips); then SIGKILL.
                await Poll.UntilAsync(() => server.Accepted >= connections + 2, "the second speed test reaching the server", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));

                await probe.KillAsync();
                Assert.True(probe.HasExited);
            }

            var download = first.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "download"), ("server", "peer"))!.Value;
            var upload = first.Value("internet_monitor_speedtest_throughput_bytes_per_second", ("direction", "upload"), ("server", "peer"))!.Value;
            using (var connection = HistoryFile.Open(history))
            {
                Assert.Equal("ok", HistoryFile.Scalar<string>(connection, "PRAGMA integrity_check"));
                Assert.Equal(
                    string.Create(CultureInfo.InvariantCulture, $"peer|{download * 8}|{upload * 8}|"),
                    HistoryFile.Row(connection, "SELECT server, download_bits_per_second, upload_bits_per_second, reason FROM speed_tests")); // the one before, alone
                TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"SIGKILL during the second speed test: {HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM speed_tests")} speed test row (the first, {download * 8 / 1e6:0.00} / {upload * 8 / 1e6:0.00} Mbit/s), {HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes")} latency minutes, integrity_check ok"));
            }

            // The next probe opens it, writes on, and serves the speed test from it.
            settings["Monitor__SpeedTest__Enabled"] = "false";
            await using (var next = ProbeProcess.Start(network, LabFixture.ProbeProgram, settings))
            {
                await next.WaitForAsync(m => m.Value("internet_monitor_history_healthy") == 1, "the next probe up", cancellationToken: TestContext.Current.CancellationToken);
                using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
                using var rows = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync(
                    new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/history/speedtests?from=2000-01-01T00:00:00Z"), TestContext.Current.CancellationToken));
                var row = Assert.Single(rows.RootElement.EnumerateArray());
                Assert.Equal("peer", row.GetProperty("server").GetString());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// POST /api/speedtests/run once the scheduled run has let go of its gate: it does so just after its metric, so an
    /// ask in between is answered 409 and asked again, for up to 10 s.
    /// </summary>
    private static Task<HttpResponseMessage> RunNowAsync(HttpClient client, Uri run)
    {
        HttpResponseMessage? refused = null;
        return Poll.UntilAsync(
            async () =>
            {
                refused?.Dispose();
                return refused = await client.PostAsync(run, JsonBody(), TestContext.Current.CancellationToken);
            },
            response => response.StatusCode != HttpStatusCode.Conflict,
            "the on-demand speed test let in (not 409)",
            TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(20),
            explain: response => Task.FromResult($"status {(int)response.StatusCode}"));
    }

    private static StringContent JsonBody() => new("{}", Encoding.UTF8, "application/json");
}
