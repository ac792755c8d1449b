using System.Net;
using System.Text.Json;
using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Outages;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Tests.History;

/// <summary>
/// The history API of a probe whose database holds a known history: the rows of a range as JSON and as CSV (the header
/// a spreadsheet gets, times in UTC, a formula-like cell made inert), availability against an outage length worked out
/// by hand, bad parameters refused with one sentence, and the OpenAPI document matching the routes and their CSV headers.
/// </summary>
public sealed class HistoryApiTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("im-history-api-").FullName;
    private readonly DateTimeOffset _hour = KnownHistory.Hour();
    private WebApplication? _probe;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async ValueTask InitializeAsync()
    {
        if (!Prerequisite.IsRoot)
        {
            return; // each test says why it skips
        }

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
        Prerequisite.RequireRoot();

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
        Assert.Equal($"{_hour.AddMinutes(10):yyyy-MM-dd'T'HH:mm}:00.000Z,{_hour.AddMinutes(10.5):yyyy-MM-dd'T'HH:mm}:30.000Z,peer,cloudflare,success,80,16,200000000,40000000,12.5,1.5,95,40,,,", lines[1]);
        Assert.EndsWith(",http_error,download,\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\"", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);

        using var accept = new HttpRequestMessage(HttpMethod.Get, Range("speedtests"));
        accept.Headers.Accept.ParseAdd("text/csv");
        using var byHeader = await Http.SendAsync(accept, TestContext.Current.CancellationToken);
        Assert.Equal("text/csv", byHeader.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Outages_overlapping_a_range_and_its_availability_match_the_minutes_worked_out_by_hand()
    {
        Prerequisite.RequireRoot();

        using var outages = JsonDocument.Parse(await Http.GetStringAsync(Range("outages"), TestContext.Current.CancellationToken));
        Assert.Equal([(600.0, "internet"), (600.0, "local")], outages.RootElement.EnumerateArray().Select(outage => (outage.GetProperty("durationSeconds").GetDouble(), outage.GetProperty("cause").GetString())));
        using var availability = JsonDocument.Parse(await Http.GetStringAsync(Range("availability"), TestContext.Current.CancellationToken));
        Assert.Equal((3600.0, 900.0, 2, 0.75), (availability.RootElement.GetProperty("seconds").GetDouble(), availability.RootElement.GetProperty("outageSeconds").GetDouble(),
            availability.RootElement.GetProperty("outages").GetInt32(), availability.RootElement.GetProperty("availability").GetDouble()));
    }

    [Fact]
    public async Task Alerts_and_latency_minutes_read_back_with_their_figures_and_a_target_filter()
    {
        Prerequisite.RequireRoot();

        var alerts = await Http.GetStringAsync(Range("alerts") + "&format=csv", TestContext.Current.CancellationToken);
        Assert.Contains(",firing,LocalNetworkDown,critical,\"The router is silent, too\",'@SUM(1+1),", alerts, StringComparison.Ordinal);
        using var latency = JsonDocument.Parse(await Http.GetStringAsync(Range("latency") + "&target=gateway", TestContext.Current.CancellationToken));
        var minute = Assert.Single(latency.RootElement.EnumerateArray());
        Assert.Equal((60, 6, 0.1, 0.9), (minute.GetProperty("sent").GetInt32(), minute.GetProperty("lost").GetInt32(), minute.GetProperty("lossRatio").GetDouble(), minute.GetProperty("p90Ms").GetDouble()));
    }

    [Theory]
    [InlineData("speedtests?from=yesterday", "from must be an ISO 8601 time such as 2026-11-24T18:00:00Z (got \"yesterday\")")]
    [InlineData("speedtests?from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "from must be before to")]
    [InlineData("outages?limit=0", "limit must be a whole number of rows from 1 to 1000000 (got \"0\")")]
    [InlineData("latency?format=xml", "format must be json or csv (got \"xml\")")]
    public async Task A_bad_parameter_is_refused_with_one_sentence(string query, string message)
    {
        Prerequisite.RequireRoot();

        using var response = await Http.GetAsync(new Uri("/api/history/" + query, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(message + "\n", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_api_route_and_the_csv_headers_it_serves()
    {
        Prerequisite.RequireRoot();

        using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken));
        Assert.Equal("3.1.0", document.RootElement.GetProperty("openapi").GetString());
        var paths = document.RootElement.GetProperty("paths");
        var routes = _probe!.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(endpoint => "/" + endpoint.RoutePattern.RawText!.TrimStart('/'))
            .Where(route => route.StartsWith("/api/", StringComparison.Ordinal) || route.StartsWith("/openapi", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(routes, paths.EnumerateObject().Select(path => path.Name).Where(path => path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/openapi", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var path in paths.EnumerateObject().Where(path => path.Name.StartsWith("/api/history/", StringComparison.Ordinal)))
        {
            var declared = path.Value.GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("text/csv").GetProperty("example").GetString();
            var served = await Http.GetStringAsync(new Uri(path.Name + "?format=csv", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(declared!.TrimEnd(), served.Split("\r\n")[0]);
        }
    }

    private Uri Range(string what) => new($"/api/history/{what}?from={Iso(_hour)}&to={Iso(_hour.AddHours(1))}", UriKind.Relative);

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
