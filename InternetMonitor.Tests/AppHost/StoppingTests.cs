using System.Reflection;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The AppHost as a user runs it, inside a namespace this test makes with only loopback: it refuses bad settings with
/// one message before anything starts, says which parts are not installed, and Ctrl+C, SIGTERM to <c>dotnet run</c>
/// (what <c>make run</c> starts) and SIGKILL of the AppHost each leave no process of the stack behind (DCP watches the
/// AppHost's process).
/// </summary>
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class StoppingTests
{
    private static readonly string Configuration =
        typeof(StoppingTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The AppHost's native launcher in its own build output, as `dotnet run --project InternetMonitor.AppHost` starts it.</summary>
    private static readonly string AppHost = Repository.PathOf("InternetMonitor.AppHost", "bin", Configuration, "net10.0", "InternetMonitor.AppHost");

    [Theory]
    [InlineData("INT", false)]
    [InlineData("TERM", true)]
    [InlineData("KILL", false)]
    public async Task Stopping_the_apphost_leaves_no_process_of_the_stack(string signal, bool throughDotnetRun)
    {
        Prerequisite.RequireRoot();
        Prerequisite.RequireProgram("prometheus", "prometheus");
        Prerequisite.RequireProgram("prometheus-alertmanager", "prometheus-alertmanager");
        await using var network = await NetworkNamespace.CreateAsync();
        var state = Directory.CreateTempSubdirectory("im-apphost-").FullName;
        var home = Directory.CreateTempSubdirectory("im-home-").FullName;
        using var client = NamespaceHttpClient.Create(network, TimeSpan.FromSeconds(5));
        string[] arguments = ["--mode", "process", $"--Stack:StateDirectory={state}"];
        string[] command = throughDotnetRun
            ? ["dotnet", "run", "--project", Repository.PathOf("InternetMonitor.AppHost"), "-c", Configuration, "--no-build", "--", .. arguments]
            : [AppHost, .. arguments];
        try
        {
            // `dotnet run` takes the launch profile's dashboard settings; the launcher alone is given them here.
            await using var apphost = LabProcess.Start(network, command, Environment(home, launchProfile: throughDotnetRun));
            await WaitAsync(client, "http://127.0.0.1:9090/-/ready", apphost);
            await WaitAsync(client, "http://127.0.0.1:8000/health", apphost);
            Assert.True((await network.ProcessIdsAsync()).Count >= 5, "the AppHost, DCP, the dashboard and the parts run in the namespace");

            // Aspire's default: the dashboard asks for the token it prints.
            Assert.Contains("Login to the dashboard at http://127.0.0.1:18888/login?t=", apphost.Output, StringComparison.Ordinal);
            if (Prerequisite.FindProgram("grafana-server") is null)
            {
                const string missing = "grafana: grafana-server or grafana not found on PATH (apt install grafana); the rest comes up without it";
                Assert.Single(apphost.Error.Split('\n'), line => line == missing); // said once
            }

            await apphost.StopAsync(signal, TimeSpan.FromSeconds(60));

            var stopped = System.Diagnostics.Stopwatch.StartNew();
            await InNamespace.WaitUntilEmptyAsync(network, TimeSpan.FromSeconds(60), $"after SIG{signal}");
            TestContext.Current.TestOutputHelper?.WriteLine($"SIG{signal}: the namespace held no process after {stopped.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Monitor:Icmp:Interval=0", "probe: Invalid configuration: Monitor:Icmp:Interval must be between 00:00:00.01 and 00:10:00 (got 00:00:00)")]
    [InlineData("--Stack:ListenAddress=localhost", "Invalid configuration: Stack:ListenAddress must be an IP address such as 127.0.0.1 or 0.0.0.0 (got \"localhost\")")]
    [InlineData("--Stack:Ports:Grafana=9090", "Invalid configuration: Stack:Ports: port 9090 is claimed by Prometheus and Grafana")]
    [InlineData("--Stack:Portz:Probe=1", "Invalid configuration: Stack:Portz is not a known setting")]
    [InlineData("--mode=kubernetes", "Invalid configuration: --mode must be process or container (got \"kubernetes\"); without it, container mode is used when a Docker engine answers")]
    [InlineData("stack", "Invalid configuration: unknown argument stack: settings are written --Section:Key=value")]
    [InlineData("--Monitr:Targets:Gateway=none", "Invalid configuration: Monitr:Targets:Gateway is not a known setting: settings are under Stack, Alerting, Central, Monitor")]
    [InlineData("--Stack:ListenAddress=192.0.2.77", "Invalid configuration: Stack:ListenAddress must be an address of this host (192.0.2.77: ")]
    [InlineData("--Stack:StateDirectory=/proc/im-state", "Cannot write the state folder /proc/im-state: ")]
    public async Task A_bad_setting_of_any_part_stops_the_stack_with_one_message_before_anything_starts(string setting, string message)
    {
        Prerequisite.RequireRoot();
        await using var network = await NetworkNamespace.CreateAsync(); // were it to start after all, it would find no internet
        var state = Directory.CreateTempSubdirectory("im-apphost-").FullName;
        var home = Directory.CreateTempSubdirectory("im-home-").FullName;
        try
        {
            await using var apphost = LabProcess.Start(network, [AppHost, "--mode=process", $"--Stack:StateDirectory={state}", setting], Environment(home, launchProfile: false));

            var exitCode = await apphost.WaitForExitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

            Assert.Equal(2, exitCode);
            Assert.StartsWith(message, apphost.Error, StringComparison.Ordinal);
            Assert.Empty(await network.ProcessIdsAsync());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>A HOME of its own (<see cref="AspireHome"/>) and, without `dotnet run`, what the launch profile sets for the dashboard.</summary>
    private static Dictionary<string, string> Environment(string home, bool launchProfile)
    {
        var environment = AspireHome.Environment(home);
        if (!launchProfile)
        {
            foreach (var (name, value) in AspireHome.Dashboard)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>GETs <paramref name="url"/> inside the namespace until it answers 200 (3 minutes at most).</summary>
    private static Task WaitAsync(HttpClient client, string url, LabProcess apphost) =>
        Poll.UntilAsync(
            async () =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(url), TestContext.Current.CancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
            },
            answered => answered,
            $"{url} answering",
            TimeSpan.FromMinutes(3),
            TimeSpan.FromMilliseconds(500),
            () => apphost.HasExited ? "the AppHost exited" : null,
            _ => Task.FromResult($"AppHost output:\n{apphost.Log}"));
}
