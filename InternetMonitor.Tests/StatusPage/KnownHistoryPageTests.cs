using System.Globalization;
using System.Text.Json;
using InternetMonitor.Probe.History;
using InternetMonitor.Tests.Support;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.StatusPage;

/// <summary>
/// The status page of a probe with a known history, in a real browser: one behaviour a test, the probe and the page
/// started once (<see cref="KnownHistoryPage"/>).
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class KnownHistoryPageTests(KnownHistoryPage known) : IClassFixture<KnownHistoryPage>
{
    [Fact]
    public async Task The_page_says_up_and_why_while_the_probe_pings_loopback()
    {
        known.Require();
        await Assertions.Expect(known.Page.Locator("#state")).ToHaveTextAsync("Up");
        await Assertions.Expect(known.Page.Locator("#why")).ToHaveTextAsync("pinging lo");
    }

    [Fact]
    public async Task The_last_speed_test_is_shown_against_the_plan()
    {
        known.Require();
        await Assertions.Expect(known.Page.Locator("#last-speedtest")).ToContainTextAsync("80.0 Mbit/s down, 16.0 Mbit/s up (plan 100 / 20, minimum 50 / 10)");
    }

    [Fact]
    public async Task The_campaign_under_way_is_shown_with_where_it_stands_and_a_link_to_its_report()
    {
        known.Require();
        await Assertions.Expect(known.Page.Locator("#campaign-section")).ToBeVisibleAsync();
        await Assertions.Expect(known.Page.Locator("#campaign")).ToContainTextAsync("Bundesnetzagentur (Germany): day 1 of 3, 4 of 30 measurements; waiting: the speed test is off (Monitor:SpeedTest:Enabled=false)");
        await Assertions.Expect(known.Page.Locator("#campaign")).ToContainTextAsync("verdict so far: incomplete.");
        await Assertions.Expect(known.Page.Locator("#campaign-report")).ToHaveAttributeAsync("href", $"/report?campaign={KnownHistoryPage.CampaignId}");
    }

    [Fact]
    public async Task The_availability_of_30_days_is_what_the_api_computes_for_them_with_three_decimals()
    {
        known.Require();
        using var http = new HttpClient { BaseAddress = known.Address };
        using var api = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/history/availability?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", CultureInfo.InvariantCulture))}", UriKind.Relative), TestContext.Current.CancellationToken));
        var shown = double.Parse((await known.Page.Locator("#availability-30d").TextContentAsync())!.Replace(" %", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.InRange(shown, (api.RootElement.GetProperty("availability").GetDouble() * 100) - 0.002, (api.RootElement.GetProperty("availability").GetDouble() * 100) + 0.002);
        Assert.True(shown < 100); // the outages
    }

    [Fact]
    public async Task The_outages_are_listed_with_their_lengths()
    {
        known.Require();

        // The 10-minute local one and the internet one cut at 10 minutes.
        await Assertions.Expect(known.Page.Locator("#outages tr")).ToHaveCountAsync(2);
        await Assertions.Expect(known.Page.Locator("#outages tr[data-cause=local] td:nth-child(2)")).ToHaveTextAsync("10 min");
        await Assertions.Expect(known.Page.Locator("#outages tr[data-cause=internet] td:nth-child(2)")).ToHaveTextAsync("10 min");
    }

    [Fact]
    public async Task The_alert_received_is_listed_by_name()
    {
        known.Require();
        await Assertions.Expect(known.Page.Locator("#alerts tr")).ToHaveCountAsync(1);
        await Assertions.Expect(known.Page.Locator("#alerts tr td:nth-child(2)")).ToHaveTextAsync("LocalNetworkDown");
    }

    /// <summary>The two targets' minutes in latency and loss; download, upload and the plan's two speeds in the speed tests.</summary>
    [Theory]
    [InlineData("latency-chart", "cloudflare", "gateway")]
    [InlineData("loss-chart", "cloudflare", "gateway")]
    [InlineData("speed-chart", "download", "upload", "plan download", "plan upload", "minimum download", "minimum upload")]
    public async Task Each_chart_draws_every_series_in_its_own_colour(string chart, params string[] required)
    {
        known.Require();
        await AssertSeriesDrawnAsync(known.Page, chart, required);
    }

    [Fact]
    public async Task The_csv_link_downloads_every_speed_test_of_the_30_days()
    {
        known.Require();
        var download = await known.Page.RunAndWaitForDownloadAsync(() => known.Page.Locator("#export-speedtests").ClickAsync());
        var saved = Path.Combine(known.Folder, "speedtests.csv");
        await download.SaveAsAsync(saved);
        var lines = (await File.ReadAllTextAsync(saved, TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(HistoryCsv.SpeedTestHeader, lines[0]);
        Assert.Equal(8, lines.Length); // the known history's three and the campaign's four
        Assert.Equal(4, lines.Count(line => line.EndsWith("," + KnownHistoryPage.CampaignId, StringComparison.Ordinal)));
        Assert.StartsWith("internet-monitor-speedtests-", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.Empty(known.Failures);
    }

    [Fact]
    public void The_page_loads_without_a_failed_request_or_a_script_error()
    {
        known.Require();
        Assert.Empty(known.Failures);
    }

    [Fact]
    public async Task On_a_phone_the_page_does_not_scroll_sideways()
    {
        known.Require();
        var failures = new List<string>();
        var phone = await known.OpenAsync(390, 844, failures);
        await phone.GotoAsync(known.Address.AbsoluteUri);
        await StatusPageTests.LoadedAsync(phone);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(Repository.PathOf("artifacts"), "status-page-phone.png"), FullPage = true });
        var wide = await phone.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391).map(e => e.tagName + '#' + e.id + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 8).join(' ')");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= 390"), $"the page scrolls sideways on a phone: {wide}");
        Assert.Empty(failures);
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
