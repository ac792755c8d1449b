using System.Net;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Hosting;

/// <summary>
/// The probe as a client on its network sees it (its own process in a namespace, reached from an address that is not
/// loopback): only its own names answered, no file named, browsers told not to sniff or frame, bad requests answered in
/// one sentence, a fault answered with a request id and logged once, and /health's changes logged once.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class RemoteClientTests
{
    [Fact]
    public async Task A_page_whose_name_was_rebound_to_the_probe_is_refused_while_the_probes_own_names_are_answered()
    {
        await using var exposed = await ExposedProbe.StartAsync();

        // DNS rebinding: the browser sends the attacker's name as Host, at the probe's address.
        foreach (var path in (string[])["/api/history/outages", "/metrics", "/api/status", "/"])
        {
            Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(exposed.Remote, path, "rebound.example:8000"));
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Remote, "/api/history/outages", null)); // 192.0.2.1:8000, an address of its own
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Remote, "/api/history/outages", "localhost:8000"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Local, "/metrics", "127.0.0.1:8000"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Local, "/metrics", "host.docker.internal:8000"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Remote, "/api/status", "pi.home.arpa:8000")); // a private network's name
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Remote, "/api/status", "pi.lan"));
    }

    [Fact]
    public async Task The_allowed_hosts_key_replaces_the_machines_names_and_loopback_stays()
    {
        await using var exposed = await ExposedProbe.StartAsync(new Dictionary<string, string> { ["AllowedHosts"] = "monitor.example.org" });

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Remote, "/api/status", "monitor.example.org:8000"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(exposed.Remote, "/api/status", null)); // 192.0.2.1, no longer listed
        Assert.Equal(HttpStatusCode.BadRequest, await StatusAsync(exposed.Remote, "/api/status", "pi.home.arpa"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(exposed.Local, "/api/status", "localhost:8000")); // the stack's own parts call it so
    }

    [Fact]
    public async Task Answers_to_a_remote_client_name_no_file_and_tell_the_browser_not_to_sniff_or_frame()
    {
        await using var exposed = await ExposedProbe.StartAsync();

        using var health = await exposed.Remote.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var text = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain(exposed.Folder, text, StringComparison.Ordinal);
        Assert.DoesNotContain("history.db", text, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(health.Headers.GetValues("X-Content-Type-Options")));

        using var page = await exposed.Remote.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'sha256-[A-Za-z0-9+/=]{44}'", policy);
        Assert.Equal("DENY", Assert.Single(page.Headers.GetValues("X-Frame-Options")));

        using var csv = await exposed.Remote.GetAsync(new Uri("/api/history/outages?format=csv", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal("nosniff", Assert.Single(csv.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task A_broken_chunk_size_is_answered_400_in_one_sentence_without_a_stack_trace()
    {
        await using var exposed = await ExposedProbe.StartAsync(new Dictionary<string, string> { ["Monitor__SpeedTestServer__Enabled"] = "true" });

        foreach (var (path, type) in new[] { ("/api/alerts", "application/json"), ("/__up", "application/octet-stream") })
        {
            var answer = await exposed.RawAsync(
                $"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n");
            Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
            Assert.Contains("Bad chunk size data.", answer, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", answer, StringComparison.Ordinal);
        }

        // Still answering, and nothing logged as a failure.
        Assert.Equal(200, await exposed.Probe.HttpStatusAsync("/health"));
        Assert.DoesNotContain("fail:", exposed.Probe.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", exposed.Probe.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_framed_both_by_length_and_by_chunks_is_refused_and_nothing_behind_it_is_answered()
    {
        await using var exposed = await ExposedProbe.StartAsync();

        // Request smuggling: a front end that reads Content-Length and a back end that reads the chunks disagree on where
        // the next request starts. The probe reads the chunks (as RFC 9112 says), refuses the post (a client on the
        // network without a token) and closes the connection: the request hidden behind it is never answered.
        var answer = await exposed.RawAsync(
            "POST /api/alerts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0\r\n\r\nGET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n", ExposedProbe.RemoteAddress);

        Assert.StartsWith("HTTP/1.1 401 ", answer, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(answer, "^HTTP/1.1 ", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.DoesNotContain("internet_monitor_", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pings_are_undisturbed_while_clients_on_the_network_ask_as_fast_as_they_can()
    {
        await using var exposed = await ExposedProbe.StartAsync();
        var before = await exposed.Probe.WaitForAsync(_ => true, "a scrape", cancellationToken: TestContext.Current.CancellationToken);

        // Eight clients, each asking /api/status again as soon as it is answered, 2,500 times.
        var answered = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var ok = 0;
            for (var i = 0; i < 2_500; i++)
            {
                using var response = await exposed.Remote.GetAsync(new Uri("/api/status", UriKind.Relative), TestContext.Current.CancellationToken);
                ok += response.IsSuccessStatusCode ? 1 : 0;
            }

            return ok;
        }));

        // Every echo sent during the storm has been judged once its timeout (0.2 s ... 2 s) has passed.
        var sentDuring = (await exposed.Probe.WaitForAsync(_ => true, "a scrape", cancellationToken: TestContext.Current.CancellationToken)).Value("internet_monitor_ping_packets_sent_total", ("target", "lo"))!.Value;
        var after = await exposed.Probe.WaitForAsync(
            m => (m.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) ?? 0) + (m.Value("internet_monitor_ping_packet_loss_total", ("target", "lo")) ?? 0) >= sentDuring,
            "the storm's echoes judged", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(20_000, answered.Sum());
        Assert.True(after.Value("internet_monitor_ping_packets_sent_total", ("target", "lo")) > before.Value("internet_monitor_ping_packets_sent_total", ("target", "lo")), "echoes went on");
        Assert.Equal(before.Value("internet_monitor_ping_packet_loss_total", ("target", "lo")) ?? 0, after.Value("internet_monitor_ping_packet_loss_total", ("target", "lo")) ?? 0);
    }

    [Fact]
    public async Task A_time_before_the_default_range_can_start_is_a_bad_request_not_a_fault()
    {
        await using var exposed = await ExposedProbe.StartAsync();

        foreach (var path in (string[])["/api/history/outages?to=0001-01-01T00:00:00Z", "/api/history/latency?to=0001-01-01T00:00:00Z", "/api/history/availability?to=0001-01-01T00:00:00Z"])
        {
            using var response = await exposed.Remote.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Single(text.TrimEnd('\n').Split('\n'));
        }

        Assert.DoesNotContain("fail:", exposed.Probe.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_logs_a_change_of_state_once_however_often_it_is_asked()
    {
        // The history's folder is a file: the database cannot be created, the history reads degraded.
        var folder = Directory.CreateTempSubdirectory("im-blocked-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "blocked"), "a file, not a folder", TestContext.Current.CancellationToken);
            await using var exposed = await ExposedProbe.StartAsync(new Dictionary<string, string> { ["Monitor__History__Path"] = Path.Combine(folder, "blocked", "history.db") });
            await exposed.Probe.WaitForAsync(metrics => metrics.Value("internet_monitor_history_healthy") == 0, "the history failing", cancellationToken: TestContext.Current.CancellationToken);

            for (var i = 0; i < 20; i++)
            {
                using var health = await exposed.Remote.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
                Assert.Contains("\"Degraded\"", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }

            // A line logged after the calls (an alert's): the console writes in order, so a second "degraded" would be in by then.
            using (var marker = new StringContent("""{"status":"firing","alerts":[{"labels":{"alertname":"Marker"},"startsAt":"2026-11-30T10:00:00Z"}]}""", System.Text.Encoding.UTF8, "application/json"))
            {
                using var posted = await exposed.Local.PostAsync(new Uri("/api/alerts", UriKind.Relative), marker, TestContext.Current.CancellationToken);
            }

            await exposed.Probe.WaitForLogAsync("Alert FIRING Marker", TestContext.Current.CancellationToken);
            var lines = exposed.Probe.Log.Split('\n');
            Assert.Single(lines, line => line.Contains("Health check history is degraded", StringComparison.Ordinal));
            Assert.DoesNotContain(lines, line => line.Contains("DefaultHealthCheckService", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path, string? host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
