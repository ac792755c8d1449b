using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.AppHost;

/// <summary>
/// The AppHost in container mode, for real: DCP runs Prometheus, Alertmanager and node-exporter as containers (local
/// stand-ins named by the compose project's image variables) on a Docker engine of the test's own inside a namespace
/// with only loopback, and the probe as a process of that namespace, which the containers reach through the engine's
/// host gateway; the parts with no image here are switched off (Stack:Profiles). SIGTERM to the AppHost leaves no
/// container, network or process of the run behind, only the parts' data volumes, which are kept by design.
/// </summary>
[Collection(ContainerEngineCollection.Name)]
[Trait(Layer.Key, Layer.EndToEnd)]
public sealed class ContainerModeTests(ContainerEngine engine)
{
    private static readonly string[] Jobs = ["alertmanager", "internet-monitor", "node", "prometheus"];

    /// <summary>The volumes a run keeps its parts' data in, from one run to the next.</summary>
    private static readonly string[] DataVolumes = ["internet-monitor-apphost-alertmanager-data", "internet-monitor-apphost-prometheus-data"];

    private static readonly string Configuration =
        typeof(ContainerModeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static readonly string AppHost = Repository.PathOf("InternetMonitor.AppHost", "bin", Configuration, "net10.0", "InternetMonitor.AppHost");

    [Fact]
    public async Task The_parts_run_as_containers_beside_the_probe_raise_internet_down_and_sigterm_leaves_no_container_network_or_process()
    {
        engine.Require();
        var docker = await ClientFolderAsync();
        Prerequisite.Require(docker is not null, $"needs a docker client {DockerCli.MinimumClientMajor} or later (DCP refuses older ones), such as the machine image's /usr/local/bin/docker");
        var state = Directory.CreateTempSubdirectory("im-containers-").FullName;
        var home = Directory.CreateTempSubdirectory("im-home-").FullName;
        using var client = NamespaceHttpClient.Create(engine.Network, TimeSpan.FromSeconds(5));
        LabProcess? apphost = null;
        try
        {
            var clock = Stopwatch.StartNew();
            apphost = LabProcess.Start(engine.Network, [AppHost, "--mode", "container", $"--Stack:StateDirectory={state}", "--Stack:Profiles="], Environment(home, docker!));

            using var up = await WaitAsync(client, "http://127.0.0.1:9090/api/v1/query?query=up", json => JsonPoll.UpJobs(json).Count == Jobs.Length, apphost);
            var allUp = clock.Elapsed;
            Assert.Equal(Jobs, JsonPoll.UpJobs(up));
            var images = await engine.MustRunAsync("docker", ["ps", "--format", "{{.Image}}"], TimeSpan.FromSeconds(30));
            Assert.Equal([ContainerEngine.Alertmanager, ContainerEngine.NodeExporter, ContainerEngine.Prometheus], Lines(images).Order(StringComparer.Ordinal));

            // Published ports on 127.0.0.1 (Stack:ListenAddress), and the probe on the engine's gateway as well, for the containers.
            var listening = Lines(await engine.Network.RunAsync("ss", "-Hltn")).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]).ToList();
            Assert.Contains("127.0.0.1:9090", listening);
            Assert.Contains("127.0.0.1:8000", listening);
            var gateway = Assert.Single(listening, address => !address.StartsWith("127.0.0.1:", StringComparison.Ordinal));
            Assert.EndsWith(":8000", gateway, StringComparison.Ordinal);

            using (await WaitAsync(client, "http://127.0.0.1:9093/api/v2/alerts", json => json.RootElement.EnumerateArray()
                .Any(alert => alert.GetProperty("labels").GetProperty("alertname").GetString() == "InternetDown"), apphost))
            {
            }

            var alerted = clock.Elapsed;
            // Alertmanager's container reaches the probe's alert log through the gateway, with the token made for the run.
            using (await WaitAsync(client, "http://127.0.0.1:8000/api/alerts", json => json.RootElement.EnumerateArray()
                .Any(alert => alert.GetProperty("alertName").GetString() == "InternetDown"), apphost))
            {
            }

            var logged = clock.Elapsed;
            await apphost.StopAsync("TERM", TimeSpan.FromSeconds(60));
            var stopped = Stopwatch.StartNew();
            await WaitUntilAsync(async () => (await engine.LeftoversAsync()).Order(StringComparer.Ordinal).SequenceEqual(DataVolumes.Select(volume => $"volume {volume}")),
                async () => $"left in the engine after SIGTERM: {string.Join(", ", await engine.LeftoversAsync())}");
            await WaitUntilAsync(async () => (await Programs()).All(program => program is "dockerd" or "containerd"),
                async () => $"left running in the namespace after SIGTERM: {string.Join(", ", await Programs())}");
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"container mode: all targets up after {allUp.TotalSeconds:0.0} s; InternetDown in Alertmanager after {alerted.TotalSeconds:0.0} s, in the probe's alert log after {logged.TotalSeconds:0.0} s; nothing left {stopped.Elapsed.TotalSeconds:0.0} s after SIGTERM"));
        }
        finally
        {
            if (apphost is not null)
            {
                await apphost.DisposeAsync();
            }

            await RemoveRunAsync();
            Directory.Delete(state, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>
    /// A HOME of its own (<see cref="AspireHome"/>), the dashboard as StoppingTests has it, the engine, the stand-ins and a
    /// docker client DCP takes; not ASPIRE_ENABLE_CONTAINER_TUNNEL, which the AppHost switches off itself in container mode.
    /// </summary>
    private Dictionary<string, string> Environment(string home, string docker)
    {
        var environment = AspireHome.Environment(home);
        foreach (var (name, value) in engine.Environment)
        {
            environment[name] = value;
        }

        environment["PATH"] = $"{docker}:{System.Environment.GetEnvironmentVariable("PATH")}";
        foreach (var (name, value) in AspireHome.Dashboard)
        {
            environment[name] = value;
        }
        environment["PROMETHEUS_IMAGE"] = ContainerEngine.Prometheus;
        environment["ALERTMANAGER_IMAGE"] = ContainerEngine.Alertmanager;
        environment["NODE_EXPORTER_IMAGE"] = ContainerEngine.NodeExporter;
        return environment;
    }

    /// <summary>The first folder (of PATH, and /usr/local/bin) whose docker client is one DCP takes; null when there is none.</summary>
    private async Task<string?> ClientFolderAsync()
    {
        var folders = new[] { "/usr/local/bin" }.Concat((System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        foreach (var folder in folders.Distinct(StringComparer.Ordinal).Where(folder => File.Exists(Path.Combine(folder, "docker"))))
        {
            var (_, version, _) = await engine.RunAsync(Path.Combine(folder, "docker"), ["version", "--format", "{{.Client.Version}}"], TimeSpan.FromSeconds(30));
            if (int.TryParse(version.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) && major >= DockerCli.MinimumClientMajor)
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>The names of the namespace's processes (dockerd and containerd are the engine's own).</summary>
    private async Task<IReadOnlyList<string>> Programs()
    {
        var programs = new List<string>();
        foreach (var pid in await engine.Network.ProcessIdsAsync())
        {
            try
            {
                programs.Add((await File.ReadAllTextAsync($"/proc/{pid}/comm")).Trim());
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return programs;
    }

    /// <summary>What a failed run may have left: DCP's containers and networks (by its labels), and the data volumes.</summary>
    private async Task RemoveRunAsync()
    {
        var deadline = TimeSpan.FromMinutes(1);
        foreach (var container in Lines((await engine.RunAsync("docker", ["ps", "-aq", "--filter", "label=com.microsoft.developer.usvc-dev.name"], deadline)).Output))
        {
            await engine.RunAsync("docker", ["rm", "-f", container], deadline);
        }

        foreach (var network in Lines((await engine.RunAsync("docker", ["network", "ls", "-q", "--filter", "label=com.microsoft.developer.usvc-dev.persistent"], deadline)).Output))
        {
            await engine.RunAsync("docker", ["network", "rm", network], deadline);
        }

        await engine.RunAsync("docker", ["volume", "rm", .. DataVolumes], deadline);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>GETs <paramref name="url"/> inside the namespace until its JSON satisfies <paramref name="done"/> (3 minutes at most), while the AppHost runs.</summary>
    private static Task<JsonDocument> WaitAsync(HttpClient client, string url, Func<JsonDocument, bool> done, LabProcess apphost) =>
        JsonPoll.UntilAsync(client, new Uri(url), done, TimeSpan.FromMinutes(3), () => Task.FromResult($"AppHost output:\n{apphost.Log}"),
            () => apphost.HasExited ? $"the AppHost exited: {apphost.Log}" : null, TestContext.Current.CancellationToken);

    /// <summary>Polls <paramref name="done"/> until it holds (60 s at most), failing with <paramref name="why"/>.</summary>
    private static Task WaitUntilAsync(Func<Task<bool>> done, Func<Task<string>> why) =>
        Poll.UntilAsync(done, holds => holds, "the run cleaned up", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250), explain: _ => why());
}
