using System.Globalization;
using System.Text.Json;
using InternetMonitor.Probe.History;
using InternetMonitor.Tests.History;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.StatusPage;

/// <summary>
/// The status page in a real browser (Playwright driving Debian's chromium) against a probe with a known history: the
/// state now, availability as the API computes it, the last speed test's figures against the plan, the outages with
/// their lengths, the alert, every series of the three charts drawn, a CSV export downloaded whole, and a phone's width
/// without sideways scrolling (screenshots: artifacts/status-page.png and artifacts/status-page-phone.png); "today" in
/// a time zone far from UTC; and the page of a probe that sees the internet down (artifacts/status-page-down.png).
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class StatusPageTests
{
    [Fact]
    public async Task The_page_shows_the_known_history_draws_its_charts_and_exports_the_rows()
    {
        Prerequisite.RequireRoot();
        var chromium = Prerequisite.RequireProgram("chromium", "chromium");
        var folder = Directory.CreateTempSubdirectory("im-status-page-").FullName;
        var hour = KnownHistory.Hour();
        var path = Path.Combine(folder, "history.db");
        KnownHistory.Write(path, hour);
        try
        {
            await using var probe = await ProbeHost.StartAsync($"--Monitor:History:Path={path}", "--Monitor:Plan:DownloadMbps=100", "--Monitor:Plan:UploadMbps=20");
            var address = ProbeHost.BaseAddress(probe);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright, chromium);
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, TimezoneId = "UTC" });
            var page = await context.NewPageAsync();
            var failures = new List<string>();
            page.RequestFailed += (_, request) => failures.Add(request.Url);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    failures.Add(message.Text);
                }
            };

            // The probe pings loopback: up, once its first echoes are judged (the page refreshes every minute; reload until then).
            await page.GotoAsync(address.AbsoluteUri);
            await Assertions.Expect(page.Locator("body[data-loaded=true]")).ToHaveCountAsync(1);
            for (var until = DateTime.UtcNow.AddSeconds(30); await page.Locator("#state").TextContentAsync() != "Up"; await page.ReloadAsync())
            {
                Assert.True(DateTime.UtcNow < until, $"the page never said Up: {await page.Locator("#state").TextContentAsync()}");
                await Task.Delay(500, TestContext.Current.CancellationToken);
            }

            await Assertions.Expect(page.Locator("#why")).ToHaveTextAsync("pinging lo");
            await Assertions.Expect(page.Locator("#last-speedtest")).ToContainTextAsync("80.0 Mbit/s down, 16.0 Mbit/s up (plan 100 / 20)");

            // Availability: what the API says for the same 30 days, as a percentage with three decimals, below 100 (outages).
            using var http = new HttpClient { BaseAddress = address };
            using var api = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/history/availability?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", CultureInfo.InvariantCulture))}", UriKind.Relative), TestContext.Current.CancellationToken));
            var shown = double.Parse((await page.Locator("#availability-30d").TextContentAsync())!.Replace(" %", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            Assert.InRange(shown, (api.RootElement.GetProperty("availability").GetDouble() * 100) - 0.002, (api.RootElement.GetProperty("availability").GetDouble() * 100) + 0.002);
            Assert.True(shown < 100);

            // The outages, newest first, with their lengths: the 10-minute local one and the internet one cut at 10 minutes.
            var outages = page.Locator("#outages tr");
            await Assertions.Expect(outages).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("#outages tr[data-cause=local] td:nth-child(2)")).ToHaveTextAsync("10 min");
            await Assertions.Expect(page.Locator("#outages tr[data-cause=internet] td:nth-child(2)")).ToHaveTextAsync("10 min");
            await Assertions.Expect(page.Locator("#alerts tr")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#alerts tr td:nth-child(2)")).ToHaveTextAsync("LocalNetworkDown");

            // The three charts drew their series, each in its own colour (not only axes and grid): the two targets' minutes
            // in latency and loss; download, upload and the plan's two speeds in the speed tests.
            await AssertSeriesDrawnAsync(page, "latency-chart", "cloudflare", "gateway");
            await AssertSeriesDrawnAsync(page, "loss-chart", "cloudflare", "gateway");
            await AssertSeriesDrawnAsync(page, "speed-chart", "download", "upload", "plan download", "plan upload");

            // The CSV link downloads every speed test of the 30 days.
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-speedtests").ClickAsync());
            var saved = Path.Combine(folder, "speedtests.csv");
            await download.SaveAsAsync(saved);
            var lines = (await File.ReadAllTextAsync(saved, TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(HistoryCsv.SpeedTestHeader, lines[0]);
            Assert.Equal(4, lines.Length);
            Assert.StartsWith("internet-monitor-speedtests-", download.SuggestedFilename, StringComparison.Ordinal);

            var shots = Repository.PathOf("artifacts");
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "status-page.png"), FullPage = true });

            // A phone: no sideways scrolling, the charts resized to the screen.
            await page.SetViewportSizeAsync(390, 844);
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("body[data-loaded=true]")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "status-page-phone.png"), FullPage = true });
            var wide = await page.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join(' ')");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), $"the page scrolls sideways on a phone: {wide}");
            Assert.Empty(failures);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Today_is_the_browsers_own_day_in_a_time_zone_far_from_utc()
    {
        Prerequisite.RequireRoot();
        var chromium = Prerequisite.RequireProgram("chromium", "chromium");
        var folder = Directory.CreateTempSubdirectory("im-status-zone-").FullName;
        var path = Path.Combine(folder, "history.db");
        KnownHistory.Write(path, KnownHistory.Hour()); // 15 minutes of outage, 3 to 4 hours ago

        // A zone at least 3 hours from UTC where the day is 5 hours old or more (the outage is in its today) and ends
        // not within the test.
        var now = DateTimeOffset.UtcNow;
        var zone = Zones.Select(TimeZoneInfo.FindSystemTimeZoneById).First(zone =>
            Math.Abs(zone.GetUtcOffset(now).TotalHours) >= 3 && TimeZoneInfo.ConvertTime(now, zone).TimeOfDay is var time && time >= TimeSpan.FromHours(5) && time < TimeSpan.FromHours(23));
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTimeOffset(localNow.Date, zone.GetUtcOffset(localNow.Date));
        try
        {
            await using var probe = await ProbeHost.StartAsync($"--Monitor:History:Path={path}");
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright, chromium);
            var page = await browser.NewPageAsync(new() { TimezoneId = zone.Id });
            var asked = new System.Collections.Concurrent.ConcurrentQueue<string>();
            page.Request += (_, request) => asked.Enqueue(request.Url);
            await page.GotoAsync(ProbeHost.BaseAddress(probe).AbsoluteUri);
            await Assertions.Expect(page.Locator("body[data-loaded=true]")).ToHaveCountAsync(1);

            // The page asked for the availability from the zone's midnight, not UTC's.
            var today = asked.ToArray().Select(url => new Uri(url)).Where(url => url.AbsolutePath == "/api/history/availability")
                .Single(url => System.Web.HttpUtility.ParseQueryString(url.Query)["from"] is { } from && DateTimeOffset.Parse(from, CultureInfo.InvariantCulture) == midnight);

            // And shows what the API says for that range, which is not what UTC's day gives.
            using var http = new HttpClient();
            var shown = double.Parse((await page.Locator("#availability-today").TextContentAsync())!.Replace(" %", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
            var api = await AvailabilityAsync(http, today);
            Assert.InRange(shown, (api * 100) - 0.0015, (api * 100) + 0.0015);
            Assert.True(shown < 100); // the outage is in it
            var query = System.Web.HttpUtility.ParseQueryString(today.Query);
            var utcDay = await AvailabilityAsync(http, new Uri(today, $"?from={Uri.EscapeDataString(new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(query["to"]!)}"));
            Assert.True(Math.Abs(utcDay - api) * 100 > 0.01, $"today in {zone.Id} and in UTC give the same availability ({api}): the test would not tell them apart");
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{zone.Id}: today from {midnight:O}, {shown:0.000} % shown; UTC's day would give {utcDay * 100:0.000} %"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task When_the_internet_is_down_the_page_says_so_since_when_and_where_the_fault_is()
    {
        Prerequisite.RequireRoot();
        var chromium = Prerequisite.RequireProgram("chromium", "chromium");
        Prerequisite.RequireProgram("iptables", "iptables");
        await using var network = await LabFixture.NamespaceAsync();
        var folder = Directory.CreateTempSubdirectory("im-status-down-").FullName;
        try
        {
            // The router (127.0.0.1) answers; the two public anchors go silent: the provider's fault.
            var settings = LabFixture.AnchorsAndRouter();
            settings["Monitor__History__Path"] = Path.Combine(folder, "history.db");
            await using var probe = LabFixture.StartProbe(network, settings);
            await probe.UntilAsync(m => m.Value("internet_monitor_up") == 1, "internet_monitor_up 1");
            await network.RunAsync(["iptables", "-A", .. LabFixture.SilentAnchors]);
            await probe.UntilAsync(m => m.Value("internet_monitor_up") == 0, "internet_monitor_up 0");

            // The browser runs inside the namespace too (Playwright talks to it over a pipe), where the probe listens.
            var browserInside = Path.Combine(folder, "chromium-in-namespace");
            await File.WriteAllTextAsync(browserInside, $"#!/bin/sh\nexec ip netns exec {network.Name} {chromium} \"$@\"\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(browserInside, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await LaunchAsync(playwright, browserInside);
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await page.GotoAsync($"http://127.0.0.1:{Lab.ProbeProcess.Port}/");

            await Assertions.Expect(page.Locator("#state")).ToHaveTextAsync("Down");
            await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("the provider or beyond (the router answers)");
            await Assertions.Expect(page.Locator("#outages tr[data-cause=internet] td:nth-child(2)")).ToContainTextAsync("(going on)");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.PathOf("artifacts"), "status-page-down.png"), FullPage = true });
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Zones from UTC+14 to UTC-10: at any moment one of them is between 5 in the morning and 11 at night.</summary>
    private static readonly string[] Zones = ["Pacific/Kiritimati", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo", "America/New_York", "America/Los_Angeles", "Pacific/Honolulu"];

    /// <summary>Headless chromium from <paramref name="program"/>, with nothing of its own sent anywhere (no background networking or component updates).</summary>
    private static Task<IBrowser> LaunchAsync(IPlaywright playwright, string program) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = program, Headless = true, Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"] });

    private static async Task<double> AvailabilityAsync(HttpClient http, Uri url)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(url, TestContext.Current.CancellationToken));
        return document.RootElement.GetProperty("availability").GetDouble();
    }

    /// <summary>
    /// The chart has these series (and, for latency, perhaps the live probe's own target once its first minute is
    /// written), and each series left pixels of its own colour on the canvas.
    /// </summary>
    private static async Task AssertSeriesDrawnAsync(IPage page, string chart, params string[] required)
    {
        var series = await page.EvaluateAsync<string[]>($"charts['{chart}'].series.slice(1).map(s => s.label)");
        Assert.Equal(required, series.Where(label => label != "lo"));
        var pixels = await page.Locator($"#{chart} canvas").EvaluateAsync<int[]>("""
            canvas => {
              const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
              const wanted = charts[canvas.closest("[id]").id].series.slice(1).map(s => [1, 3, 5].map(i => parseInt(s.stroke().slice(i, i + 2), 16)));
              const counts = wanted.map(() => 0);
              for (let p = 0; p < data.length; p += 4) {
                if (data[p + 3] < 128) continue;
                wanted.forEach((rgb, k) => { if (Math.abs(data[p] - rgb[0]) + Math.abs(data[p + 1] - rgb[1]) + Math.abs(data[p + 2] - rgb[2]) < 48) counts[k]++; });
              }
              return counts;
            }
            """);
        for (var i = 0; i < series.Length; i++)
        {
            Assert.True(pixels[i] > 0, $"{chart}: the series {series[i]} drew nothing ({string.Join(", ", pixels)} pixels by series)");
        }
    }
}
