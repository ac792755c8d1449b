using InternetMonitor.AppHost.Integrations.Probe;
using InternetMonitor.AppHost.Stack;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.Tests.AppHost;

/// <summary>The probe's data folder as the stack passes it: its folder of the state directory (owner-only), or its volume in the compose project; the user's own setting over either; its site.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ProbeEnvironmentTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("im-state-").FullName;

    [Theory]
    [InlineData(StackRun.Processes)]
    [InlineData(StackRun.Containers)]
    public void A_probe_of_this_host_keeps_its_data_in_its_folder_of_the_state_directory(StackRun run)
    {
        var environment = For(run, []);

        var data = Path.Combine(_state, "data", "probe");
        Assert.Equal(data, Assert.Single(environment, pair => pair.Key == "Monitor__DataDirectory").Value);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.DoesNotContain(environment, pair => pair.Key is "Monitor__History__Path" or "Monitor__SpeedTest__Budget__StatePath");
    }

    [Fact]
    public void In_the_compose_project_it_is_the_probes_volume()
    {
        var environment = For(StackRun.Compose, []);

        Assert.Equal("/var/lib/internet-monitor", Assert.Single(environment, pair => pair.Key == "Monitor__DataDirectory").Value);
        Assert.False(Directory.Exists(Path.Combine(_state, "data", "probe")));
    }

    [Theory]
    [InlineData(StackRun.Processes)]
    [InlineData(StackRun.Compose)]
    public void The_users_own_data_directory_and_history_path_win(StackRun run)
    {
        var environment = For(run, new() { ["Monitor:DataDirectory"] = "/srv/monitor", ["Monitor:History:Path"] = "kept/history.db" });

        Assert.Equal("/srv/monitor", Assert.Single(environment, pair => pair.Key == "Monitor__DataDirectory").Value);
        Assert.Equal("kept/history.db", Assert.Single(environment, pair => pair.Key == "Monitor__History__Path").Value);
    }

    [Theory]
    [InlineData(StackRun.Processes)]
    [InlineData(StackRun.Compose)]
    public void The_probe_is_told_its_site_for_the_site_attribute_of_its_logs_and_traces(StackRun run)
    {
        Assert.Equal("home", Assert.Single(For(run, []), pair => pair.Key == "INTERNET_MONITOR_SITE").Value);
        Assert.Equal("office", Assert.Single(For(run, [], site: "office"), pair => pair.Key == SiteName.ProbeVariable).Value);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);

    private List<KeyValuePair<string, string>> For(StackRun run, Dictionary<string, string?> settings, string site = SiteName.Default)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var layout = new StackLayout(run, new StackOptions { StateDirectory = _state, Site = site });
        return [.. ProbeEnvironment.For(configuration, layout, 8000)];
    }
}
