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
/// their lengths, the alert, the three charts drawn, a CSV export downloaded whole, and a phone's width without
/// sideways scrolling. Screenshots: artifacts/status-page.png and artifacts/status-page-phone.png.
/// </summary>
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
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"] });
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

            // The three charts drew something.
            foreach (var chart in new[] { "#latency-chart", "#loss-chart", "#speed-chart" })
            {
                var painted = await page.Locator($"{chart} canvas").EvaluateAsync<bool>(
                    "canvas => canvas.width > 0 && canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.some(value => value !== 0)");
                Assert.True(painted, $"{chart} drew nothing");
            }

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
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = browserInside, Headless = true, Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"] });
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
}
