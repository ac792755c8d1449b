using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Budget;
using InternetMonitor.Probe.Storage;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Storage;

/// <summary>
/// Where the probe keeps its files: a data folder by default (the system's as root, the user's XDG one otherwise),
/// <c>Monitor:DataDirectory</c> over it, and relative paths of the history and the data budget resolved there, never
/// in the working directory. Pure: nothing is written, the machine's /var/lib least of all.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class DataFolderTests
{
    private static readonly Dictionary<string, string> UserEnvironment = new(StringComparer.Ordinal)
    {
        ["HOME"] = "/home/ada",
        ["XDG_DATA_HOME"] = "/home/ada/.data",
    };

    [Fact]
    public void As_root_with_no_settings_the_data_folder_is_the_systems()
    {
        Assert.Equal("/var/lib/internet-monitor", DataFolder.Default(_ => null, isRoot: true));
        Assert.Equal("/var/lib/internet-monitor", DataFolder.Default(Lookup(UserEnvironment), isRoot: true)); // a root login's HOME does not count
    }

    [Fact]
    public void For_a_user_it_is_under_XDG_DATA_HOME_or_else_under_HOME()
    {
        Assert.Equal("/home/ada/.data/internet-monitor", DataFolder.Default(Lookup(UserEnvironment), isRoot: false));
        Assert.Equal("/home/ada/.local/share/internet-monitor", DataFolder.Default(Lookup(new(StringComparer.Ordinal) { ["HOME"] = "/home/ada" }), isRoot: false));
        Assert.Equal("/home/ada/.local/share/internet-monitor", DataFolder.Default(Lookup(new(StringComparer.Ordinal) { ["HOME"] = "/home/ada", ["XDG_DATA_HOME"] = "relative/data" }), isRoot: false));
        Assert.Null(DataFolder.Default(Lookup(new(StringComparer.Ordinal) { ["HOME"] = "relative" }), isRoot: false));
        Assert.Null(DataFolder.Default(_ => null, isRoot: false));
    }

    [Fact]
    public async Task Relative_paths_of_the_history_and_the_budget_land_in_the_data_directory_not_the_working_directory()
    {
        var data = Path.Combine(Path.GetTempPath(), $"im-not-created-{Guid.NewGuid():N}");
        await using var app = ProbeProgram.Build([$"--Monitor:DataDirectory={data}", "--Monitor:History:Path=kept/history.db", "--Monitor:SpeedTest:Budget:StatePath=budget.json"]);
        var services = app.Services;

        Assert.Equal(Path.Combine(data, "kept", "history.db"), services.GetRequiredService<IOptions<HistoryOptions>>().Value.Path);
        Assert.Equal(Path.Combine(data, "kept", "history.db"), services.GetRequiredService<HistoryWriter>().FullPath);
        Assert.Equal(Path.Combine(data, "budget.json"), services.GetRequiredService<IOptions<SpeedTestOptions>>().Value.Budget.StatePath);
        Assert.Equal(Path.Combine(data, "budget.json"), services.GetRequiredService<DataBudgetStore>().Path);
        Assert.NotEqual(Path.GetFullPath("kept/history.db"), services.GetRequiredService<HistoryWriter>().FullPath);
        Assert.False(Directory.Exists(data)); // resolving writes nothing
    }

    [Fact]
    public async Task Absolute_paths_stay_where_they_are_and_the_defaults_are_files_of_the_default_data_folder()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "elsewhere", "history.db");
        await using var namedApp = ProbeProgram.Build([$"--Monitor:DataDirectory=/srv/monitor", $"--Monitor:History:Path={elsewhere}"]);
        var named = namedApp.Services;
        Assert.Equal(elsewhere, named.GetRequiredService<IOptions<HistoryOptions>>().Value.Path);
        Assert.Equal("/srv/monitor/speedtest-budget.json", named.GetRequiredService<IOptions<SpeedTestOptions>>().Value.Budget.StatePath);

        await using var defaultsApp = ProbeProgram.Build([]);
        var defaults = defaultsApp.Services;
        var folder = DataFolder.Default();
        Assert.NotNull(folder);
        Assert.Equal(folder, defaults.GetRequiredService<IOptions<DataFolderOptions>>().Value.DataDirectory);
        Assert.Equal(Path.Combine(folder, "history.db"), defaults.GetRequiredService<IOptions<HistoryOptions>>().Value.Path);
        Assert.Equal(Path.Combine(folder, "speedtest-budget.json"), defaults.GetRequiredService<IOptions<SpeedTestOptions>>().Value.Budget.StatePath);
    }

    [Fact]
    public void A_data_directory_that_cannot_be_told_is_one_message_naming_the_key()
    {
        var validator = new DataFolderOptionsValidator();

        Assert.Equal(
            "Monitor:DataDirectory must be set: neither XDG_DATA_HOME nor HOME names an absolute folder to keep the probe's data in",
            Assert.Single(validator.Validate(null, new DataFolderOptions { DataDirectory = null }).Failures!));
        Assert.Equal("Monitor:DataDirectory must be an absolute path (got '')", Assert.Single(validator.Validate(null, new DataFolderOptions { DataDirectory = string.Empty }).Failures!));
        Assert.True(validator.Validate(null, new DataFolderOptions { DataDirectory = "/var/lib/internet-monitor" }).Succeeded);
    }

    private static Func<string, string?> Lookup(Dictionary<string, string> environment) => name => environment.GetValueOrDefault(name);
}
