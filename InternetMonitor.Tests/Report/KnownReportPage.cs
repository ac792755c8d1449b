using InternetMonitor.Tests.StatusPage;
using InternetMonitor.Tests.Support;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.Report;

/// <summary>
/// The report page of <see cref="KnownCampaign"/>'s campaign open in a real browser (Playwright driving Debian's
/// chromium) at 1280 x 900, loaded: started once for <see cref="ReportPageTests"/>. Leaves artifacts/report.png (the full
/// page at desktop width), and a copy where <c>REPORT_SCREENSHOT</c> names a file (docs/images/report.png is made so).
/// </summary>
public sealed class KnownReportPage : IAsyncLifetime
{
    private readonly KnownCampaignProbe _probe = new();
    private readonly List<string> _failures = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri Address => _probe.Address;

    public string Folder => _probe.Folder;

    /// <summary>The campaign's report, open at the desktop size.</summary>
    public IPage Page { get; private set; } = null!;

    /// <summary>The requests that failed and the script errors logged on <see cref="Page"/> so far.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Why the page could not be opened here (no chromium), or null.</summary>
    public string? Missing { get; private set; }

    public static string CampaignPath => $"/report?campaign={KnownCampaign.Id}";

    public async ValueTask InitializeAsync()
    {
        var chromium = Prerequisite.FindProgram("chromium");
        Missing = chromium is null ? "needs 'chromium' (Debian package chromium; `make test` installs it)" : null;
        if (Missing is not null)
        {
            return;
        }

        await _probe.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await StatusPageTests.LaunchAsync(_playwright, chromium!);
        Page = await OpenAsync(1280, 900, _failures);
        await Page.GotoAsync(new Uri(Address, CampaignPath).AbsoluteUri);
        await StatusPageTests.LoadedAsync(Page);

        var shot = Path.Combine(Repository.PathOf("artifacts"), "report.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await Page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        if (Environment.GetEnvironmentVariable("REPORT_SCREENSHOT") is { Length: > 0 } copy)
        {
            File.Copy(shot, Path.GetFullPath(copy), overwrite: true);
        }
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
        await _probe.DisposeAsync();
    }
}
