using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The AppHost in process mode, end to end, inside a namespace this test makes with only loopback (so the stack runs on
/// its default ports and "no internet" is the truth there): Prometheus sees every target up, the internet-down alert
/// reaches Alertmanager and the probe's alert log, and stopping it, by SIGTERM or by SIGKILL, leaves no process behind.
/// </summary>
public sealed class ProcessModeTests
{
    // The AppHost's native launcher, as `dotnet run --project InternetMonitor.AppHost` starts it (not `dotnet X.dll`):
    // the probe must then be run by the .NET host, not by the launcher.
    private static readonly string AppHost = Path.Combine(AppContext.BaseDirectory, "InternetMonitor.AppHost");

    [Fact]
    public async Task The_stack_comes_up_raises_internet_down_and_sigterm_leaves_nothing_running()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("prometheus", "prometheus");
        Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
        Prerequisite.RequireProgram("prometheus-node-exporter", "prometheus-node-exporter");
        await using var network = await NetworkNamespace.CreateAsync();
        var state = Directory.CreateTempSubdirectory("im-apphost-").FullName;
        using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        await using var apphost = LabProcess.Start(network, [AppHost, "--mode", "process", $"--Stack:StateDirectory={state}"]);
        try
        {
            // cAdvisor is scraped too where it is installed (it is not packaged for Debian).
            string[] expected = ProgramLocator.OnPath("cadvisor") is null
                ? ["alertmanager", "internet-monitor", "node", "prometheus"]
                : ["alertmanager", "cadvisor", "internet-monitor", "node", "prometheus"];
            var up = await WaitAsync(client, "http://127.0.0.1:9090/api/v1/query?query=up", json =>
                json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Count(result => result.GetProperty("value")[1].GetString() == "1") == expected.Length, apphost);
            var allUp = clock.Elapsed;
            var jobs = up.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(result => result.GetProperty("metric").GetProperty("job").GetString()).Order(StringComparer.Ordinal);
            Assert.Equal(expected, jobs);

            await WaitAsync(client, "http://127.0.0.1:9093/api/v2/alerts", json =>
                json.RootElement.EnumerateArray().Any(alert => alert.GetProperty("labels").GetProperty("alertname").GetString() == "InternetDown"), apphost);
            var alerted = clock.Elapsed;
            await WaitAsync(client, "http://127.0.0.1:8000/api/alerts", json =>
                json.RootElement.EnumerateArray().Any(alert => alert.GetProperty("alertName").GetString() == "InternetDown"), apphost);

            await apphost.StopAsync("TERM", TimeSpan.FromSeconds(60));

            Assert.Equal(0, apphost.ExitCode);
            Assert.Empty(await network.ProcessIdsAsync());
            Assert.Contains("Internet Monitor is up:", apphost.Output, StringComparison.Ordinal);
            if (ProgramLocator.OnPath("grafana-server") is null)
            {
                var missing = "grafana-server not found on PATH (apt install grafana); the rest comes up without it";
                Assert.Single(apphost.Output.Split('\n'), line => line.EndsWith(missing, StringComparison.Ordinal)); // said once
            }
            Assert.Contains("prometheus    | ", apphost.Output, StringComparison.Ordinal); // each line behind its resource's name
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"all targets up after {allUp.TotalSeconds:0.0} s; InternetDown in Alertmanager after {alerted.TotalSeconds:0.0} s"));
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task A_hard_kill_of_the_apphost_takes_every_child_with_it()
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("prometheus", "prometheus");
        Prerequisite.Require(Prerequisite.FindProgram("setpriv") is not null, "needs setpriv (util-linux) for the parent-death signal");
        await using var network = await NetworkNamespace.CreateAsync();
        var state = Directory.CreateTempSubdirectory("im-apphost-").FullName;
        using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
        await using var apphost = LabProcess.Start(network, [AppHost, "--mode", "process", $"--Stack:StateDirectory={state}"]);
        try
        {
            await WaitAsync(client, "http://127.0.0.1:9090/-/ready", _ => true, apphost);
            Assert.True((await network.ProcessIdsAsync()).Count >= 4, "the AppHost and its children run in the namespace");

            await apphost.StopAsync("KILL");

            var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while ((await network.ProcessIdsAsync()).Count > 0)
            {
                Assert.True(DateTime.UtcNow < until, $"left running: {string.Join(", ", await network.ProcessIdsAsync())}");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Monitor:Icmp:Interval=0", "probe: Invalid configuration: Monitor:Icmp:Interval must be between 00:00:00.01 and 00:10:00 (got 00:00:00)", 2)]
    [InlineData("--Stack:ListenAddress=localhost", "Invalid configuration: Stack:ListenAddress must be an IP address such as 127.0.0.1 or 0.0.0.0 (got \"localhost\")", 2)]
    [InlineData("--Stack:Ports:Grafana=9090", "Invalid stack: port 9090 is claimed by prometheus (http) and grafana (http)", 2)]
    [InlineData("--Stack:Portz:Probe=1", "Invalid configuration: Stack:Portz is not a known setting", 2)]
    [InlineData("--mode=kubernetes", "Invalid configuration: --mode must be process or container (got \"kubernetes\"); without it, container mode is used when a Docker engine answers", 2)]
    [InlineData("stack", "Invalid configuration: unknown argument stack: settings are written --Section:Key=value", 2)]
    [InlineData("--Monitr:Targets:Gateway=none", "Invalid configuration: Monitr:Targets:Gateway is not a known setting: settings are under Stack, Alerting, Monitor", 2)]
    [InlineData("--Stack:ListenAddress=192.0.2.77", "Invalid configuration: Stack:ListenAddress must be an address of this host (192.0.2.77: ", 2)]
    [InlineData("--Stack:StateDirectory=/proc/im-state", "Cannot write the state folder /proc/im-state: ", 3)]
    public async Task A_bad_setting_of_any_part_stops_the_stack_with_one_message_before_anything_starts(string setting, string message, int expectedExitCode)
    {
        Prerequisite.RequireRoot();
        await using var network = await NetworkNamespace.CreateAsync(); // were it to start after all, it would find no internet
        var state = Directory.CreateTempSubdirectory("im-apphost-").FullName;
        try
        {
            await using var apphost = LabProcess.Start(network, [AppHost, "--mode=process", $"--Stack:StateDirectory={state}", setting]);

            var exitCode = await apphost.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

            Assert.Equal(expectedExitCode, exitCode);
            Assert.StartsWith(message, apphost.Error, StringComparison.Ordinal);
            Assert.Empty(await network.ProcessIdsAsync());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>GETs <paramref name="url"/> inside the namespace until the JSON satisfies <paramref name="done"/>.</summary>
    private static async Task<JsonDocument> WaitAsync(HttpClient client, string url, Func<JsonDocument, bool> done, LabProcess apphost)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(180);
        while (true)
        {
            Assert.False(apphost.HasExited, $"the AppHost exited: {apphost.Log}");
            try
            {
                var text = await client.GetStringAsync(new Uri(url), TestContext.Current.CancellationToken);
                var json = text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonDocument.Parse(text) : JsonDocument.Parse("{}");
                if (done(json))
                {
                    return json;
                }

                json.Dispose();
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(DateTime.UtcNow < until, $"{url} never met the condition; AppHost output:\n{apphost.Log}");
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
    }
}
