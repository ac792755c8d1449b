using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using InternetMonitor.Lab;
using InternetMonitor.Probe.History;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Tests.History;

#pragma warning disable CA2100 // The SQL is the test's own.

/// <summary>
/// A million latency rows read through the API of the built probe, running as its own process in a namespace that
/// holds only loopback: every row comes once, in order, by following the next links; eight reads at once are partly
/// refused (429) rather than run; the probe's memory rises little, and stays there, not at a page's size; /health answers throughout, and
/// not one echo to loopback is lost meanwhile. The figures go to the test's output.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class HistoryReadLoadTests : IDisposable
{
    private const int Targets = 4;
    private const int Rows = 1_000_000;

    /// <summary>Peak resident memory over idle while reading: measured +25 to +40 MB (a page is streamed, never held; one request for all the rows took +650 MB).</summary>
    private const long PeakRiseBound = 100L << 20;

    /// <summary>
    /// Resident memory over idle once the reads have paused (<see cref="Probe.Hosting.MemoryReturn"/>): measured +9 to +10 MB
    /// (the code the reads compiled); without giving memory back it stayed at the peak's +25 to +40 MB.
    /// </summary>
    private const long AfterRiseBound = 20L << 20;

    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-load-").FullName;

    [Fact]
    public async Task A_million_rows_are_read_page_by_page_with_little_memory_and_no_lost_echo()
    {
        Prerequisite.RequireRoot();
        var path = Path.Combine(_folder, "history.db");
        var start = DateTimeOffset.UtcNow.AddDays(-200); // within the retention, which the probe applies at start
        start = new DateTimeOffset(start.Year, start.Month, start.Day, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddMinutes(Rows / Targets);
        Write(path, start);
        await using var network = await LabFixture.NamespaceAsync();
        await using var probe = LabFixture.StartProbe(network, new Dictionary<string, string>
        {
            ["Monitor__History__Path"] = path,
            ["Monitor__Targets__Public__lo"] = "127.0.0.1",
            ["Monitor__Targets__Gateway"] = "none",
            ["Monitor__Icmp__Interval"] = "00:00:00.1",
            ["Monitor__Dns__Enabled"] = "false",
            ["Monitor__Http__Enabled"] = "false",
            ["Monitor__SpeedTest__Enabled"] = "false",
        });
        var before = await probe.UntilAsync(m => m.Value("internet_monitor_history_healthy") == 1 && Sent(m) >= 20 && Sent(m) == Received(m), "the probe up and pinging");
        await probe.WaitForLogAsync("Listening on", TestContext.Current.CancellationToken); // logged once started, after start-up's garbage was given back
        var idle = ProcessFigures.Memory(probe.Id, "VmRSS");
        await File.WriteAllTextAsync($"/proc/{probe.Id}/clear_refs", "5", TestContext.Current.CancellationToken); // VmHWM from here

        using var http = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(60));
        http.BaseAddress = new Uri($"http://127.0.0.1:{ProbeProcess.Port}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var watch = WatchAsync(probe.Id, http, stop.Token);

        // Every row, following next from the first page.
        var clock = Stopwatch.StartNew();
        var (count, pages) = (0, 0);
        (long Minute, string Target) last = (long.MinValue, string.Empty);
        var from = Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(end.ToString("O", CultureInfo.InvariantCulture));
        for (Uri? next = new($"/api/history/latency?from={from}&to={to}&limit={HistoryEndpoints.MaxLimit}", UriKind.Relative); next is not null; pages++)
        {
            using var response = await http.GetAsync(next, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var page = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);
            foreach (var row in page.RootElement.EnumerateArray())
            {
                var key = (row.GetProperty("minute").GetDateTimeOffset().ToUnixTimeMilliseconds(), row.GetProperty("target").GetString()!);
                Assert.True(key.Item1 > last.Minute || (key.Item1 == last.Minute && string.CompareOrdinal(key.Item2, last.Target) > 0), $"row {count} ({key}) is not after {last}");
                (last, count) = (key, count + 1);
            }

            next = response.Headers.TryGetValues("Link", out var links) ? new Uri(links.Single()[1..links.Single().IndexOf('>', StringComparison.Ordinal)], UriKind.Relative) : null;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(Rows, count); // each strictly after the one before: every row once, in order
        Assert.Equal(Rows / HistoryEndpoints.MaxLimit, pages);

        // Eight at once, from clients that take their bodies slowly: two are read, the others are refused.
        var first = new Uri($"http://127.0.0.1:{ProbeProcess.Port}/api/history/latency?from={from}&to={to}");
        var clients = Enumerable.Range(0, 8).Select(_ => SlowClient(network)).ToList();
        var answers = await Task.WhenAll(clients.Select(client => client.GetAsync(first, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken)));
        var refused = answers.Count(answer => answer.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.All(answers.Where(answer => answer.StatusCode == HttpStatusCode.TooManyRequests), answer => Assert.NotNull(answer.Headers.RetryAfter));
        Assert.Equal(8, refused + answers.Count(answer => answer.StatusCode == HttpStatusCode.OK));
        Assert.InRange(refused, 1, 7);
        foreach (var answer in answers.Where(answer => answer.StatusCode == HttpStatusCode.OK))
        {
            using var page = await JsonDocument.ParseAsync(await answer.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal(HistoryEndpoints.MaxLimit, page.RootElement.GetArrayLength());
        }

        foreach (var (answer, client) in answers.Zip(clients))
        {
            answer.Dispose();
            client.Dispose();
        }

        var peak = ProcessFigures.Memory(probe.Id, "VmHWM");
        await stop.CancelAsync();
        var during = await watch;

        // Afterwards: memory back near idle, /health quick, not one echo lost.
        var after = await Poll.UntilAsync(
            () => Task.FromResult(ProcessFigures.Memory(probe.Id, "VmRSS")),
            rss => rss - idle <= AfterRiseBound,
            "the probe's memory back near idle",
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(500),
            explain: rss => Task.FromResult($"RSS {rss >> 20} MB, idle {idle >> 20} MB, peak {peak >> 20} MB"));

        var healthAfter = await HealthAsync(http);
        var metrics = await probe.UntilAsync(m => Sent(m) - Received(m) <= Sent(before) - Received(before), "every echo sent answered", TimeSpan.FromSeconds(10));
        var lost = (Sent(metrics) - Received(metrics)) - (Sent(before) - Received(before));
        var report = string.Create(CultureInfo.InvariantCulture,
            $"{Rows} rows in {pages} pages: {seconds:0.0} s ({Rows / seconds:0} rows/s); RSS idle {idle >> 20} MB, peak {peak >> 20} MB (+{(peak - idle) >> 20}), after {after >> 20} MB; /health during: median {Median(during):0.0} ms, max {during.Max():0.0} ms ({during.Count} asked), after {healthAfter:0.0} ms; 8 at once: {refused} refused (429); echoes: {Sent(metrics) - Sent(before)} sent, {lost} lost");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Console.WriteLine(report);

        Assert.InRange(peak - idle, long.MinValue, PeakRiseBound);
        Assert.InRange(after - idle, long.MinValue, AfterRiseBound);
        Assert.Equal(0, lost);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static double Sent(MetricsText metrics) => metrics.Value("internet_monitor_ping_packets_sent_total", ("target", "lo")) ?? 0;

    private static double Received(MetricsText metrics) => metrics.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) ?? 0;

    /// <summary>Asks /health every 200 ms until stopped; every answer must be 200. Returns the latencies in ms.</summary>
    private static async Task<List<double>> WatchAsync(int pid, HttpClient http, CancellationToken stop)
    {
        var latencies = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            latencies.Add(await HealthAsync(http));
            Assert.True(Directory.Exists($"/proc/{pid}"), "the probe has gone");
            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return latencies;
    }

    private static async Task<double> HealthAsync(HttpClient http)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    /// <summary>A client inside <paramref name="network"/> whose sockets take 8 kB at a time, so that a page it asks for stays open until it reads it.</summary>
    private static HttpClient SlowClient(NetworkNamespace network) => NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(60), receiveBuffer: 8192);

    /// <summary>A million latency minutes from <paramref name="start"/>: four targets a minute (ties the target breaks), one INSERT in one transaction.</summary>
    private static void Write(string path, DateTimeOffset start)
    {
        using (var writer = HistoryFile.Writer(path))
        {
            Assert.True(writer.Flush()); // the schema
        }

        using var connection = HistoryFile.Open(path);
        HistoryFile.Execute(connection, string.Create(CultureInfo.InvariantCulture, $"""
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows - 1})
            INSERT INTO latency_minutes (target, minute, role, address, sent, lost, min_ms, median_ms, p90_ms, max_ms)
            SELECT 'lab' || (i % {Targets}), {start.ToUnixTimeMilliseconds()} + (i / {Targets}) * 60000, 'public', '127.0.0.1', 60, i % 3, 0.5, 1.25, 2.5, 4 FROM n;
            COMMIT;
            """));
        Assert.Equal(Rows, HistoryFile.Scalar<long>(connection, "SELECT count(*) FROM latency_minutes"));
    }
}
