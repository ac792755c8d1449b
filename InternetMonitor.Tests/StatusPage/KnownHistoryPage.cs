using InternetMonitor.Probe.History;
using InternetMonitor.Tests.History;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.StatusPage;

/// <summary>
/// A probe with a known history and a plan of 100 / 20 Mbit/s, and its status page open in a real browser (Playwright
/// driving Debian's chromium) at 1280 x 900 in UTC, loaded and saying Up: started once for
/// <see cref="KnownHistoryPageTests"/>, whose tests read it. Leaves artifacts/status-page.png.
/// </summary>
public sealed class KnownHistoryPage : IAsyncLifetime
{
    private readonly List<string> _failures = [];
    private WebApplication? _probe;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>A folder of its own, deleted with it.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory("im-status-page-").FullName;

    /// <summary>Where the probe serves the page and its API.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>The page, open at the desktop size.</summary>
    public IPage Page { get; private set; } = null!;

    /// <summary>The requests that failed and the script errors logged on <see cref="Page"/> so far.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Why the page could not be opened here (no root, no chromium), or null.</summary>
    public string? Missing { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var chromium = Prerequisite.FindProgram("chromium");
        Missing = !Prerequisite.IsRoot ? "needs root (raw sockets, network namespaces)"
            : chromium is null ? "needs 'chromium' (Debian package chromium; `make test` installs it)"
            : null;
        if (Missing is not null)
        {
            return;
        }

        var path = Path.Combine(Folder, "history.db");
        KnownHistory.Write(path, KnownHistory.Hour());
        WriteCampaign(path);
        _probe = await ProbeHost.StartAsync(
            $"--Monitor:History:Path={path}", "--Monitor:Plan:DownloadMbps=100", "--Monitor:Plan:UploadMbps=20", "--Monitor:Plan:DownloadMinimumMbps=50", "--Monitor:Plan:UploadMinimumMbps=10");
        Address = ProbeHost.BaseAddress(_probe);
        _playwright = await Playwright.CreateAsync();
        _browser = await StatusPageTests.LaunchAsync(_playwright, chromium!);
        Page = await OpenAsync(1280, 900, _failures);

        // The probe pings loopback: up, once its first echoes are judged (the page refreshes every minute; reload until then).
        await Page.GotoAsync(Address.AbsoluteUri);
        await StatusPageTests.LoadedAsync(Page);
        await Poll.UntilAsync(
            async () =>
            {
                var state = await Page.Locator("#state").TextContentAsync();
                if (state != "Up")
                {
                    await Page.ReloadAsync();
                    await StatusPageTests.LoadedAsync(Page);
                }

                return state;
            },
            state => state == "Up",
            "the page saying Up",
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(500));

        var shots = Repository.PathOf("artifacts");
        Directory.CreateDirectory(shots);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(shots, "status-page.png"), FullPage = true });
    }

    /// <summary>
    /// A campaign under way, started 20 minutes ago in UTC, with four measurements of 80 / 16 Mbit/s (the speed test is
    /// off here: the probe shows it as it stands and measures nothing). Days are counted in UTC: a run in the first 20
    /// minutes after midnight would see the campaign's first day as yesterday's, which the page shows as well.
    /// </summary>
    public const string CampaignId = "bnetza-known";

    private static void WriteCampaign(string path)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        using var writer = HistoryFile.Writer(path);
        Assert.True(writer.Commit(
        [
            new CampaignStartRow(new CampaignRecord(CampaignId, "bnetza", start, "Etc/UTC", true, new CampaignPlan(100, 20, 0, 0, 50, 10))),
            .. Enumerable.Range(0, 4).Select(i => new SpeedTestRow(HistoryWriterTests.SpeedTest() with { Start = start.AddMinutes(5 * i), End = start.AddMinutes((5 * i) + 0.5), Campaign = CampaignId })),
        ]));
    }

    /// <summary>Skips (or fails under CI) when the page could not be opened.</summary>
    public void Require() => Prerequisite.Require(Missing is null, Missing ?? string.Empty);

    /// <summary>A new page of the same browser, <paramref name="width"/> by <paramref name="height"/> in UTC, its failed requests and script errors added to <paramref name="failures"/>.</summary>
    public Task<IPage> OpenAsync(int width, int height, List<string> failures) => StatusPageTests.OpenAsync(_browser!, width, height, failures);

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_probe is not null)
        {
            await _probe.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
