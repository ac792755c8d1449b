using System.Diagnostics;
using InternetMonitor.Tests.StatusPage;
using InternetMonitor.Tests.Support;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.Report;

/// <summary>
/// The report page of a crafted campaign in a real browser (<see cref="KnownReportPage"/>): every section drawn, the PDF
/// it prints to on A4 (read back by poppler's pdftotext), a phone's width, and a month without measurements.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class ReportPageTests(KnownReportPage known) : IClassFixture<KnownReportPage>
{
    [Fact]
    public async Task The_campaign_report_shows_every_section_with_its_verdict_and_figures()
    {
        known.Require();
        var page = known.Page;
        foreach (var section in new[] { "#summary", "#paid", "#plan", "#campaign", "#availability", "#latency", "#method" })
        {
            await Assertions.Expect(page.Locator(section)).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("#summary-text")).ToContainTextAsync("deviation (30 of 30 measurements)");
        await Assertions.Expect(page.Locator("#verdict")).ToHaveTextAsync("deviation");
        await Assertions.Expect(page.Locator("#criteria tbody tr")).ToHaveCountAsync(6);
        var failed = page.Locator("#criteria tbody tr:has(td.not_met)");
        await Assertions.Expect(failed).ToHaveCountAsync(1);
        await Assertions.Expect(failed).ToContainTextAsync("26 / 27 / 30");
        await Assertions.Expect(failed.Locator("ul.deciding li")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#plan-download")).ToContainTextAsync("95.0 Mbit/s");
        await Assertions.Expect(page.Locator("#paid-text")).ToHaveTextAsync("You pay 39.99 EUR a month for 100 Mbit/s down; the median measured was 95.0 Mbit/s (95 %).");
        await Assertions.Expect(page.Locator("#outages tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#targets thead")).ToContainTextAsync("Median of minute medians");
        await Assertions.Expect(page.Locator("#targets tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#files tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("#not-certified")).ToContainTextAsync("not a certified measurement mechanism");
        await Assertions.Expect(page.Locator("#dns")).ToContainTextAsync("DNS: the history keeps");
        await Assertions.Expect(page.Locator("#dns-servers tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#dns-servers tbody tr")).ToContainTextAsync("41.667 %");
        await Assertions.Expect(page.Locator("#wired")).ToContainTextAsync("yes");

        // The hour-of-day chart: the two medians and the plan's two maximums.
        Assert.Equal(["download median", "upload median", "plan download", "plan upload"], await page.EvaluateAsync<string[]>("charts['hour-chart'].series.slice(1).map(s => s.label)"));
        Assert.Empty(known.Failures);
    }

    [Fact]
    public async Task The_pdf_is_a4_and_its_text_holds_the_verdict_and_the_key_figures()
    {
        known.Require();
        var pdftotext = Prerequisite.RequireProgram("pdftotext", "poppler-utils");
        var pdfinfo = Prerequisite.RequireProgram("pdfinfo", "poppler-utils");
        var pdf = Path.Combine(known.Folder, "report.pdf");

        await known.Page.PdfAsync(new() { Path = pdf, Format = "A4", PreferCSSPageSize = true, PrintBackground = true });

        var info = await RunAsync(pdfinfo, pdf);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(info, @"Page size:\s+59[45](\.\d+)? x 84[12](\.\d+)? pts"), info);
        var text = await RunAsync(pdftotext, "-layout", pdf, "-");
        foreach (var expected in new[] { "deviation", "26 / 27 / 30", "not met", "95.0 Mbit/s", "70.0 Mbit/s", "39.99 EUR", "Latency and loss per ping target", "15.0 ms", "19.9 ms", "not a certified measurement", "SHA-256" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("Copy the summary", text, StringComparison.Ordinal); // no buttons on paper
        Assert.DoesNotContain("Print or save as PDF", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_phone_the_page_does_not_scroll_sideways_and_its_tables_scroll_in_their_own_box()
    {
        known.Require();
        var failures = new List<string>();
        var phone = await known.OpenAsync(375, 812, failures);
        await phone.GotoAsync(new Uri(known.Address, KnownReportPage.CampaignPath).AbsoluteUri);
        await StatusPageTests.LoadedAsync(phone);

        var wide = await phone.EvaluateAsync<string>("[...document.querySelectorAll('body *')].filter(e => !e.parentElement.closest('.scroll') && e.getBoundingClientRect().right > innerWidth + 1).map(e => e.tagName + '#' + e.id + '.' + e.className + (e.closest('.scroll') ? '(in a box)' : '') + ':' + Math.round(e.getBoundingClientRect().right)).slice(0, 12).join(' ') + ' scrollWidth ' + document.documentElement.scrollWidth + ' innerWidth ' + innerWidth");
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth"), $"the page scrolls sideways on a phone: {wide}");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_month_without_measurements_says_so_instead_of_showing_zeros()
    {
        known.Require();
        var failures = new List<string>();
        var page = await known.OpenAsync(1280, 900, failures);
        await page.GotoAsync(new Uri(known.Address, "/report?month=2020-01").AbsoluteUri);
        await StatusPageTests.LoadedAsync(page);

        await Assertions.Expect(page.Locator("#summary-text")).ToContainTextAsync("No measurements in January 2020.");
        await Assertions.Expect(page.Locator("#plan")).ToContainTextAsync("No measurements in January 2020.");
        await Assertions.Expect(page.Locator("#availability")).ToContainTextAsync("No measurements in January 2020.");
        await Assertions.Expect(page.Locator("#campaign")).ToContainTextAsync("No campaign in this month.");
        await Assertions.Expect(page.Locator("#paid")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#availability")).Not.ToContainTextAsync("0.0 min");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_refused_report_shows_the_probes_sentence()
    {
        known.Require();
        var failures = new List<string>();
        var page = await known.OpenAsync(1280, 900, failures);
        await page.GotoAsync(new Uri(known.Address, "/report?month=2999-01").AbsoluteUri);

        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync("No report: 2999-01 is in the future: the report covers months up to the current one");
        await Assertions.Expect(page.Locator("#summary")).ToBeHiddenAsync();
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"{program} exited {process.ExitCode}: {await error}");
        return await output;
    }
}
