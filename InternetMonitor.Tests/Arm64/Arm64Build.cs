using System.Globalization;
using InternetMonitor.AppHost.Integrations.Probe;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Arm64;

/// <summary>
/// The probe as <c>make publish RID=linux-arm64</c> builds it (scripts/publish-probe.sh), kept under .cache/ (git ignores
/// it) with the newest time among its inputs: a fresh native AOT cross-build takes minutes, so it is made again only
/// when a source file, a project file or the repository's build settings changed.
/// </summary>
public static class Arm64Build
{
    public const string Runtime = "linux-arm64";

    private static readonly string Folder = Repository.PathOf(".cache", "arm64-probe", "publish");
    private static readonly string Stamp = Folder + ".built-from";
    private static readonly string[] Settings = ["Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>What native AOT for arm64 needs here beyond clang and lld (scripts/publish-probe.sh checks the same), or null.</summary>
    public static string? MissingCrossToolchain() =>
        Prerequisite.FindProgram("aarch64-linux-gnu-gcc") is null || Prerequisite.FindProgram("aarch64-linux-gnu-objcopy") is null || !File.Exists("/usr/aarch64-linux-gnu/lib/libc.so.6")
            ? "needs the arm64 cross toolchain (Debian's gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu, libc6-dev-arm64-cross; `make test` installs them)"
            : null;

    /// <summary>The published folder and the script's last line, which says which build it made; published now unless the cache is current.</summary>
    public static Task<(string Folder, string Made)> GetAsync() => ProbeBuild.OneAtATimeAsync(PublishAsync);

    private static async Task<(string Folder, string Made)> PublishAsync()
    {
        var inputs = Inputs();
        if (File.Exists(Stamp) && await File.ReadAllLinesAsync(Stamp, TestContext.Current.CancellationToken) is [var stamped, var made] && stamped == inputs
            && File.Exists(Path.Combine(Folder, "InternetMonitor.Probe")))
        {
            return (Folder, made);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Stamp)!);
        File.Delete(Stamp);
        var (code, output, error) = await Command.TryRunAsync(Repository.PathOf("scripts", "publish-probe.sh"), [Runtime, Folder], TimeSpan.FromMinutes(15),
            new Dictionary<string, string> { ["DOTNET"] = DotnetHost.Path, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
        Assert.True(code == 0, $"scripts/publish-probe.sh {Runtime} failed ({code}): {output}{error}");
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        await File.WriteAllLinesAsync(Stamp, [inputs, line], TestContext.Current.CancellationToken);
        return (Folder, line);
    }

    /// <summary>The newest write time and the number of the probe's inputs: its projects' files (not bin/, obj/) and the build settings.</summary>
    private static string Inputs()
    {
        var files = new[] { "InternetMonitor.Probe", "InternetMonitor.ServiceDefaults" }
            .SelectMany(project => Directory.EnumerateFiles(Repository.PathOf(project), "*", SearchOption.AllDirectories)
                .Where(file => Path.GetRelativePath(Repository.PathOf(project), file).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj")))
            .Concat(Settings.Select(file => Repository.PathOf(file)))
            .ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{files.Max(File.GetLastWriteTimeUtc):O} {files.Count}");
    }
}
