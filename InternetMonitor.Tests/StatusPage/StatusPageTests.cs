using System.Globalization;
using System.Text.Json;
using InternetMonitor.Tests.History;
using InternetMonitor.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.StatusPage;

/// <summary>
/// The status page in a real browser (Playwright driving Debian's chromium): "today" in a time zone far from UTC, and
/// the page of a probe that sees the internet down (artifacts/status-page-down.png). The page of a known history is
/// <see cref="KnownHistoryPageTests"/>'s.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class StatusPageTests
{
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
    internal static Task<IBrowser> LaunchAsync(IPlaywright playwright, string program) =>
        playwright.Chromium.LaunchAsync(new() { ExecutablePath = program, Headless = true, Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"] });

    /// <summary>A new page of <paramref name="browser"/>, <paramref name="width"/> by <paramref name="height"/> in UTC, its failed requests and script errors added to <paramref name="failures"/>.</summary>
    internal static async Task<IPage> OpenAsync(IBrowser browser, int width, int height, List<string> failures)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        page.RequestFailed += (_, request) => failures.Add(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                failures.Add(message.Text);
            }
        };
        return page;
    }

    /// <summary>Waits until <paramref name="page"/> (the status page or the report) has drawn what it fetched.</summary>
    internal static Task LoadedAsync(IPage page) => Assertions.Expect(page.Locator("body[data-loaded=true]")).ToHaveCountAsync(1);

    private static async Task<double> AvailabilityAsync(HttpClient http, Uri url)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(url, TestContext.Current.CancellationToken));
        return document.RootElement.GetProperty("availability").GetDouble();
    }
}
