using System.Net;
using System.Text.Json;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The history API of a probe whose database holds a known history: the rows of a range as JSON and as CSV (the header
/// a spreadsheet gets, times in UTC, a formula-like cell made inert), availability against an outage length worked out
/// by hand, bad parameters refused with one sentence (the API document's tests: Hosting/ApiDocumentTests).
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class HistoryApiTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-api-").FullName;
    private readonly DateTimeOffset _hour = KnownHistory.Hour();
    private WebApplication? _probe;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async ValueTask InitializeAsync()
    {
        var path = Path.Combine(_folder, "history.db");
        KnownHistory.Write(path, _hour);
        _probe = await ProbeHost.StartAsync($"--Monitor:History:Path={path}");
        _http = new HttpClient { BaseAddress = ProbeHost.BaseAddress(_probe) };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_probe is not null)
        {
            await _probe.StopAsync(CancellationToken.None);
            await _probe.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Speed_tests_of_a_range_come_as_json_and_as_a_csv_file_a_spreadsheet_cannot_be_tricked_by()
    {

        using var json = JsonDocument.Parse(await Http.GetStringAsync(Range("speedtests"), TestContext.Current.CancellationToken));
        var tests = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, tests.Count);
        Assert.Equal((80.0, 16.0, "success"), (tests[0].GetProperty("downloadMbps").GetDouble(), tests[0].GetProperty("uploadMbps").GetDouble(), tests[0].GetProperty("result").GetString()));
        Assert.Equal(_hour.AddMinutes(10), tests[0].GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal((JsonValueKind.Null, "failure", "http_error"), (tests[1].GetProperty("downloadMbps").ValueKind, tests[1].GetProperty("result").GetString(), tests[1].GetProperty("reason").GetString()));

        using var response = await Http.GetAsync(Range("speedtests") + "&format=csv", TestContext.Current.CancellationToken);
        var csv = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment; filename=\"internet-monitor-speedtests-", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(HistoryCsv.SpeedTestHeader, lines[0]);
        Assert.Equal($"{_hour.AddMinutes(10):yyyy-MM-dd'T'HH:mm}:00.000Z,{_hour.AddMinutes(10.5):yyyy-MM-dd'T'HH:mm}:30.000Z,peer,cloudflare,success,80,16,200000000,40000000,12.5,1.5,95,40,,,,", lines[1]);
        Assert.EndsWith(",http_error,download,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);

        using var accept = new HttpRequestMessage(HttpMethod.Get, Range("speedtests"));
        accept.Headers.Accept.ParseAdd("text/csv");
        using var byHeader = await Http.SendAsync(accept, TestContext.Current.CancellationToken);
        Assert.Equal("text/csv", byHeader.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Outages_overlapping_a_range_and_its_availability_match_the_minutes_worked_out_by_hand()
    {

        using var outages = JsonDocument.Parse(await Http.GetStringAsync(Range("outages"), TestContext.Current.CancellationToken));
        Assert.Equal([(600.0, "internet"), (600.0, "local")], outages.RootElement.EnumerateArray().Select(outage => (outage.GetProperty("durationSeconds").GetDouble(), outage.GetProperty("cause").GetString())));
        using var availability = JsonDocument.Parse(await Http.GetStringAsync(Range("availability"), TestContext.Current.CancellationToken));
        Assert.Equal((3600.0, 900.0, 2, 0.75), (availability.RootElement.GetProperty("seconds").GetDouble(), availability.RootElement.GetProperty("outageSeconds").GetDouble(),
            availability.RootElement.GetProperty("outages").GetInt32(), availability.RootElement.GetProperty("availability").GetDouble()));
    }

    [Fact]
    public async Task Alerts_and_latency_minutes_read_back_with_their_figures_and_a_target_filter()
    {

        var alerts = await Http.GetStringAsync(Range("alerts") + "&format=csv", TestContext.Current.CancellationToken);
        Assert.Contains(",firing,LocalNetworkDown,critical,\"The router is silent, too\",'@SUM(1+1),", alerts, StringComparison.Ordinal);
        using var latency = JsonDocument.Parse(await Http.GetStringAsync(Range("latency") + "&target=gateway", TestContext.Current.CancellationToken));
        var minute = Assert.Single(latency.RootElement.EnumerateArray());
        Assert.Equal((60, 6, 0.1, 0.9), (minute.GetProperty("sent").GetInt32(), minute.GetProperty("lost").GetInt32(), minute.GetProperty("lossRatio").GetDouble(), minute.GetProperty("p90Ms").GetDouble()));
    }

    [Theory]
    [InlineData("speedtests?from=yesterday", "from must be an ISO 8601 time such as 2026-11-24T18:00:00Z (got \"yesterday\")")]
    [InlineData("speedtests?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "from must be before to")]
    [InlineData("outages?limit=0", "limit must be a whole number of rows from 1 to 10000 (got \"0\")")]
    [InlineData("latency?limit=10001", "limit must be a whole number of rows from 1 to 10000 (got \"10001\")")]
    [InlineData("latency?after=bm90IGEgY3Vyc29y", "after must be the cursor of a next link this endpoint gave (got \"bm90IGEgY3Vyc29y\")")]
    [InlineData("alerts?after=", "after must be the cursor of a next link this endpoint gave (got \"\")")]
    [InlineData("latency?format=xml", "format must be json or csv (got \"xml\")")]
    public async Task A_bad_parameter_is_refused_with_one_sentence(string query, string message)
    {

        using var response = await Http.GetAsync(new Uri("/api/history/" + query, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_full_page_links_to_the_next_and_following_the_links_reads_every_row_once_as_json_and_as_csv()
    {

        // Latency's two rows share their minute: the target breaks the tie, one a page.
        var (pages, links) = await FollowAsync(new Uri(Range("latency") + "&limit=1&target=", UriKind.Relative));
        var rows = pages.SelectMany(page => JsonDocument.Parse(page).RootElement.EnumerateArray().Select(row => row.GetProperty("target").GetString())).ToList();
        Assert.Equal(["cloudflare", "gateway"], rows);
        Assert.Single(links); // the last page has none

        // The link keeps the other parameters, pins the range, and adds the cursor.
        var next = links[0];
        var pinned = Uri.EscapeDataString(_hour.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        Assert.StartsWith($"/api/history/latency?from={pinned}&to=", next, StringComparison.Ordinal);
        Assert.Contains("&limit=1&target=&after=", next, StringComparison.Ordinal);

        // CSV: each page a file with the header, the same link header.
        var (files, csvLinks) = await FollowAsync(new Uri(Range("speedtests") + "&format=csv&limit=1", UriKind.Relative));
        Assert.Equal(2, files.Count);
        Assert.Single(csvLinks);
        Assert.All(files, file => Assert.StartsWith(HistoryCsv.SpeedTestHeader + "\r\n", file, StringComparison.Ordinal));
        var whole = await Http.GetStringAsync(Range("speedtests") + "&format=csv", TestContext.Current.CancellationToken);
        Assert.Equal(whole, HistoryCsv.SpeedTestHeader + "\r\n" + string.Concat(files.Select(file => file[(HistoryCsv.SpeedTestHeader.Length + 2)..])));
    }

    [Fact]
    public async Task A_cursor_of_one_table_is_refused_by_another()
    {

        var (_, links) = await FollowAsync(new Uri(Range("speedtests") + "&limit=1", UriKind.Relative));
        var after = links[0][(links[0].IndexOf("after=", StringComparison.Ordinal) + 6)..];

        using var response = await Http.GetAsync(new Uri(Range("latency") + "&after=" + after, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("after must be the cursor of a next link this endpoint gave", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_is_json_and_csv_is_csv_each_only_when_asked()
    {

        using var json = await Http.GetAsync(Range("alerts"), TestContext.Current.CancellationToken);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Null(json.Content.Headers.ContentDisposition);
        var body = await json.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal("@SUM(1+1)", JsonDocument.Parse(body).RootElement[0].GetProperty("description").GetString()); // as it came: escaping is the CSV's
        Assert.DoesNotContain(HistoryCsv.AlertHeader, body, StringComparison.Ordinal);

        using var csv = await Http.GetAsync(Range("alerts") + "&format=csv", TestContext.Current.CancellationToken);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HistoryCsv.AlertHeader + "\r\n", (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))[..(HistoryCsv.AlertHeader.Length + 2)]);
    }

    /// <summary>The bodies of every page from <paramref name="first"/> on, and the next links they gave.</summary>
    private async Task<(List<string> Pages, List<string> Links)> FollowAsync(Uri first)
    {
        var (pages, links) = (new List<string>(), new List<string>());
        for (Uri? next = first; next is not null;)
        {
            using var response = await Http.GetAsync(next, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            next = null;
            if (response.Headers.TryGetValues("Link", out var values))
            {
                var link = Assert.Single(values);
                Assert.Matches("^<[^>]+>; rel=\"next\"$", link);
                links.Add(link[1..link.IndexOf('>', StringComparison.Ordinal)]);
                next = new Uri(links[^1], UriKind.Relative);
            }

            Assert.True(pages.Count < 100, "the pages never end");
        }

        return (pages, links);
    }

    private Uri Range(string what) => new($"/api/history/{what}?from={Iso(_hour)}&to={Iso(_hour.AddHours(1))}", UriKind.Relative);

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
