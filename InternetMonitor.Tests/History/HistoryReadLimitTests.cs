using System.Globalization;
using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.History;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.History;

#pragma warning disable CA2100 // The SQL is the test's own.

/// <summary>
/// The limit on concurrent history reads, in a probe in process: two reads held open by clients that do not read their
/// bodies take both permits (the default Monitor:History:MaxConcurrentReads); a third is answered 429 with Retry-After
/// and one sentence, while /health, /metrics and /api/status answer as ever; once the two are done, reads are served again.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class HistoryReadLimitTests : IAsyncDisposable
{
    private const int Rows = 10_050;
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-limit-").FullName;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_read_beyond_the_concurrent_reads_is_answered_429_with_retry_after_and_other_endpoints_are_not_limited()
    {
        var path = Path.Combine(_folder, "history.db");
        Write(path);
        await using var probe = await ProbeHost.StartAsync($"--Monitor:History:Path={path}");
        var page = new Uri(ProbeHost.BaseAddress(probe), $"/api/history/latency?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit={HistoryEndpoints.MaxLimit}");

        // A page is about 12 MB of JSON; a client that takes 8 kB at a time holds its read open far beyond what the
        // kernel's buffers (net.ipv4.tcp_wmem's maximum: 4 MB) and the server's can take.
        using var slow1 = SlowClient();
        using var slow2 = SlowClient();
        using var held1 = await slow1.GetAsync(page, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var held2 = await slow2.GetAsync(page, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (held1.StatusCode, held2.StatusCode));
        Assert.True(held1.Headers.Contains("Link"), "a full page that is not the last names the next");

        using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };
        using (var refused = await http.GetAsync(page, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(HistoryReadLimit.RetryAfterSeconds), refused.Headers.RetryAfter?.Delta);
            Assert.Equal(
                $"at most 2 history reads run at once (Monitor:History:MaxConcurrentReads); try again in {HistoryReadLimit.RetryAfterSeconds} s\n",
                await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var availability = await http.GetAsync(new Uri("/api/history/availability", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, availability.StatusCode); // a history read too
        }

        foreach (var free in (string[])["/health", "/metrics", "/api/status", "/openapi/v1.json"])
        {
            using var response = await http.GetAsync(new Uri(free, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{free}: {response.StatusCode}");
        }

        // The first read, taken to its end, is the whole page; the second given up. Their permits come back.
        using (var body = System.Text.Json.JsonDocument.Parse(await held1.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken)))
        {
            Assert.Equal(HistoryEndpoints.MaxLimit, body.RootElement.GetArrayLength());
        }

        held2.Dispose();
        slow2.Dispose();
        var status = await Poll.UntilAsync(
            async () =>
            {
                using var again = await http.GetAsync(new Uri("/api/history/latency?from=2026-01-01T00:00:00Z&limit=1", UriKind.Relative), TestContext.Current.CancellationToken);
                return again.StatusCode;
            },
            code => code != HttpStatusCode.TooManyRequests,
            "the permits coming back",
            every: TimeSpan.FromMilliseconds(50));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Readers_on_the_network_holding_every_read_leave_reads_from_this_host_served()
    {
        var path = Path.Combine(_folder, "history.db");
        Write(path);
        await using var exposed = await ExposedProbe.StartAsync(new Dictionary<string, string> { ["Monitor__History__Path"] = path });
        var page = new Uri($"/api/history/latency?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit={HistoryEndpoints.MaxLimit}", UriKind.Relative);

        using var slow1 = ExposedProbe.Client(exposed.Network, ExposedProbe.RemoteAddress, ExposedProbe.RemoteAddress, receiveBuffer: 8192);
        using var slow2 = ExposedProbe.Client(exposed.Network, ExposedProbe.RemoteAddress, ExposedProbe.RemoteAddress, receiveBuffer: 8192);
        using var held1 = await slow1.GetAsync(page, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var held2 = await slow2.GetAsync(page, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (held1.StatusCode, held2.StatusCode));

        using (var remote = await exposed.Remote.GetAsync(page, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, remote.StatusCode);
        }

        using var local = await exposed.Local.GetAsync(new Uri("/api/history/latency?from=2026-01-01T00:00:00Z&limit=10", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, local.StatusCode); // the status page and an export on the probe's host
    }

    [Fact]
    public async Task A_csv_file_holds_the_whole_range_beyond_a_page()
    {
        var path = Path.Combine(_folder, "history.db");
        Write(path);
        await using var probe = await ProbeHost.StartAsync($"--Monitor:History:Path={path}");
        using var http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };

        using var csv = await http.GetAsync(new Uri("/api/history/latency?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&format=csv", UriKind.Relative), TestContext.Current.CancellationToken);
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(Rows + 1, lines.Length); // the header and every row, more than a JSON page holds
        Assert.False(csv.Headers.Contains("Link"));
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>A client whose sockets take 8 kB at a time (a fixed receive buffer: no autotuning).</summary>
    private static HttpClient SlowClient() => NamespaceHttpClient.Create(network: null, TimeSpan.FromSeconds(100), receiveBuffer: 8192);

    /// <summary>A history of <see cref="Rows"/> latency minutes from <see cref="Start"/>, each with a 1,000-character address.</summary>
    private static void Write(string path)
    {
        using (var writer = HistoryFile.Writer(path))
        {
            Assert.True(writer.Flush()); // the schema
        }

        using var connection = HistoryFile.Open(path);
        HistoryFile.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows - 1})
            INSERT INTO latency_minutes (target, minute, role, address, sent, lost, min_ms, median_ms, p90_ms, max_ms)
            SELECT 'big', {Start.ToUnixTimeMilliseconds()} + i * 60000, 'public', substr(hex(zeroblob(500)), 1, 1000), 60, 0, 1, 2, 3, 4 FROM n;
            """));
        Assert.Equal(Rows, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"));
    }
}
