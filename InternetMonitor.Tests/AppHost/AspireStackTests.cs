using System.Globalization;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using InternetMonitor.Tests.Support;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The AppHost under Aspire, through Aspire.Hosting.Testing, inside a namespace this test makes with only loopback (so
/// the stack runs on its default ports, and the probe's default targets reach nothing: "no internet" is the truth
/// there). DCP runs the probe, node-exporter, Alertmanager and Prometheus as the Debian programs; each reads healthy,
/// Prometheus scrapes every one, the internet-down alert reaches Alertmanager (with the site's name) and the probe's alert log, and the Aspire
/// dashboard lists every resource and shows the probe's spans, logs and meters.
/// </summary>
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class AspireStackTests
{
    private static readonly string[] Parts = ["probe", "node-exporter", "alertmanager", "prometheus"];

    /// <summary>What the AppHost's launch profile sets, and the dashboard without a login (the documented switch).</summary>
    private static readonly Dictionary<string, string> Dashboard = new(AspireHome.Dashboard)
    {
        ["ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "true",
    };

    [Fact]
    public async Task The_stack_comes_up_healthy_under_aspire_raises_internet_down_and_the_dashboard_shows_it()
    {
        if (!InNamespace.Inside)
        {
            Prerequisite.RequireProgram("prometheus", "prometheus");
            Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
            Prerequisite.RequireProgram("prometheus-node-exporter", "prometheus-node-exporter");
            Prerequisite.RequireProgram("chromium", "chromium");
            await InNamespace.RerunAsync(typeof(AspireStackTests), nameof(The_stack_comes_up_healthy_under_aspire_raises_internet_down_and_the_dashboard_shows_it), Dashboard);
            return;
        }

        var cancellation = TestContext.Current.CancellationToken;
        var state = Directory.CreateTempSubdirectory("im-aspire-").FullName;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.InternetMonitor_AppHost>(
            ["--mode", "process", $"--Stack:StateDirectory={state}", "--Stack:Site=office"],
            (options, settings) =>
            {
                // The testing builder turns the dashboard off and moves it to port 8080 (cAdvisor's): on, and where a run has it
                // (behind a proxy of DCP's on a random port: the test asks the model for its address).
                options.DisableDashboard = false;
                foreach (var (key, value) in Dashboard)
                {
                    settings.Configuration![key] = value;
                }
            },
            cancellation);
        await using var app = await builder.BuildAsync(cancellation);
        await app.StartAsync(cancellation);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        foreach (var part in Parts)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(part, deadline.Token);
        }

        var healthy = clock.Elapsed;
        using var probe = app.CreateHttpClient("probe");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await probe.GetAsync(new Uri("/health", UriKind.Relative), cancellation)).StatusCode);

        using var prometheus = app.CreateHttpClient("prometheus");
        using var up = await PollAsync(prometheus, "/api/v1/query?query=up", json => JsonPoll.UpJobs(json).Count == 4, deadline.Token);
        Assert.Equal(["alertmanager", "internet-monitor", "node", "prometheus"], JsonPoll.UpJobs(up));

        using var alertmanager = app.CreateHttpClient("alertmanager");
        using (var alerts = await PollAsync(alertmanager, "/api/v2/alerts", json => json.RootElement.EnumerateArray()
            .Any(alert => alert.GetProperty("labels").GetProperty("alertname").GetString() == "InternetDown"), deadline.Token))
        {
            // The site's name reaches Alertmanager on every alert: Prometheus' external label, rendered from Stack:Site.
            var internetDown = alerts.RootElement.EnumerateArray().First(alert => alert.GetProperty("labels").GetProperty("alertname").GetString() == "InternetDown");
            Assert.Equal("office", internetDown.GetProperty("labels").TryGetProperty("site", out var site) ? site.GetString() : null);
        }

        var alerted = clock.Elapsed;
        using (await PollAsync(probe, "/api/alerts", json => json.RootElement.EnumerateArray()
            .Any(alert => alert.GetProperty("alertName").GetString() == "InternetDown"), deadline.Token))
        {
        }

        await AssertDashboardAsync(app.GetEndpoint("aspire-dashboard", "http"), deadline.Token);

        await app.StopAsync(cancellation);
        InNamespace.Report(string.Create(CultureInfo.InvariantCulture,
            $"every resource healthy after {healthy.TotalSeconds:0.0} s; InternetDown in Alertmanager after {alerted.TotalSeconds:0.0} s"));
        Directory.Delete(state, recursive: true);
    }

    /// <summary>The Aspire dashboard, in chromium: every resource running, the probe's spans, its structured logs and its meters.</summary>
    private static async Task AssertDashboardAsync(Uri dashboard, CancellationToken cancellation)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Prerequisite.FindProgram("chromium"),
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 900 } });
        await page.GotoAsync(dashboard.AbsoluteUri);
        foreach (var part in Parts)
        {
            // The resource's own row of the grid, its state Running.
            var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText(part, new() { Exact = true }) });
            await Assertions.Expect(row.Filter(new() { HasText = "Running" })).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        }

        var screenshot = Path.Combine(Repository.PathOf("artifacts"), "aspire-dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot });

        // The probe's ping rounds as spans, and its log lines as structured logs, sent over OTLP to the dashboard.
        await page.GotoAsync(new Uri(dashboard, "/traces").AbsoluteUri);
        await Assertions.Expect(page.GetByText("ping round").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.GotoAsync(new Uri(dashboard, "/structuredlogs").AbsoluteUri);
        await Assertions.Expect(page.GetByText("Internet DOWN", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Repository.PathOf("artifacts"), "aspire-dashboard-logs.png") });

        // Its meters (ASP.NET Core's, among them) as charts.
        await page.GotoAsync(new Uri(dashboard, "/metrics/resource/probe").AbsoluteUri);
        await Assertions.Expect(page.GetByText("Microsoft.AspNetCore.Hosting").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>GETs <paramref name="path"/> of the resource <paramref name="client"/> reaches until its JSON satisfies <paramref name="done"/>, or the deadline passes.</summary>
    private static Task<JsonDocument> PollAsync(HttpClient client, string path, Func<JsonDocument, bool> done, CancellationToken deadline) =>
        JsonPoll.UntilAsync(client, new Uri(client.BaseAddress!, path), done, TimeSpan.FromMinutes(3), () => Task.FromResult(string.Empty), null, deadline);
}
