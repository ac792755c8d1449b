using InternetMonitor.AppHost.Dashboard;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;
using InternetMonitor.Tests.Support;
using Microsoft.Playwright;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The resource dashboard in a real browser (Playwright driving Debian's chromium): a stack of three small resources,
/// one that runs, one whose program does not exist and one that keeps exiting, shown with their states, restarts,
/// endpoints and log lines as the orchestrator sees them.
/// </summary>
public sealed class ResourceDashboardTests
{
    [Fact]
    public async Task The_page_lists_every_resource_with_its_state_restarts_and_recent_lines()
    {
        var chromium = Prerequisite.RequireProgram("chromium", "chromium");
        var sleeper = Executable("sleeper", "sh", _ => ["-c", "echo sleeping; exec sleep 600"]);
        var missing = Executable("reporter", "im-no-such-program", _ => []);
        var crasher = Executable("crasher", "sh", _ => ["-c", "echo giving up; exit 3"]);
        sleeper.Endpoints.Add(new Endpoint("http", LoopbackPort.FreeTcp()));
        var state = Directory.CreateTempSubdirectory("im-dashboard-").FullName;
        using var launcher = new ProcessLauncher();
        using var output = new StringWriter();
        var orchestrator = new ProcessOrchestrator(new StackModel([sleeper, missing, crasher]), state, "127.0.0.1", launcher, TextWriter.Synchronized(output));
        using var stop = new CancellationTokenSource();
        var run = orchestrator.RunAsync(stop.Token);
        var port = LoopbackPort.FreeTcp();
        try
        {
            await using var dashboard = await ResourceDashboard.StartAsync(orchestrator, "127.0.0.1", port, TestContext.Current.CancellationToken);
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync();

            await page.GotoAsync($"http://127.0.0.1:{port}/");

            var rows = page.Locator("#resources tr[data-resource]");
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            await Assertions.Expect(page.Locator("tr[data-resource=sleeper] td.state")).ToHaveTextAsync("running");
            await Assertions.Expect(page.Locator("tr[data-resource=sleeper] a")).ToHaveAttributeAsync("href", $"http://127.0.0.1:{sleeper.Http!.Port}/");
            await Assertions.Expect(page.Locator("tr[data-resource=reporter] td.state")).ToHaveTextAsync("missing (not packaged for Debian: install its upstream release on PATH)");
            await Assertions.Expect(page.Locator("tr[data-resource=sleeper] td:nth-child(3)")).ToHaveTextAsync("healthy");
            await Assertions.Expect(page.Locator("tr[data-resource=crasher] td:nth-child(4)")).Not.ToHaveTextAsync("0", new() { Timeout = 15_000 });
            await page.Locator("tr[data-resource=sleeper] summary").ClickAsync();
            await Assertions.Expect(page.Locator("tr[data-resource=sleeper] pre")).ToContainTextAsync("sleeping");
            await Assertions.Expect(page.Locator("tr[data-resource=sleeper] summary")).ToHaveTextAsync("1 recent line");
            var shot = Path.Combine(Repository.PathOf("artifacts"), "resource-dashboard.png");
            Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            Directory.Delete(state, recursive: true);
        }

        Assert.All(orchestrator.Resources.Where(running => running.Program is not null), running => Assert.Equal(ResourceState.Stopped, running.Snapshot.State));
        Assert.Contains("crasher  | giving up", output.ToString(), StringComparison.Ordinal);
    }

    private static Resource Executable(string name, string program, Func<ResourceContext, IEnumerable<string>> arguments)
    {
        var resource = new Resource(name, ResourceKind.Executable);
        resource.Programs.Add(program);
        resource.Arguments.Add(arguments);
        return resource;
    }
}
