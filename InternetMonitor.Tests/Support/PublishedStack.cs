using System.Diagnostics;
using System.Reflection;
using InternetMonitor.Lab;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// The compose project as <c>InternetMonitor.AppHost publish</c> writes it, made once per test run (the probe's
/// self-contained build takes about 20 s) and copied for each test that changes it; publishing into a copy again
/// reuses the probe's build there.
/// </summary>
public static class PublishedStack
{
    /// <summary>The AppHost's native launcher in its own build output, as `dotnet run --project InternetMonitor.AppHost` starts it.</summary>
    public static readonly string AppHost = Repository.PathOf("InternetMonitor.AppHost", "bin", Configuration, "net10.0", "InternetMonitor.AppHost");

    /// <summary>A HOME of the test run's own (<see cref="AspireHome"/>).</summary>
    private static readonly Lazy<string> Home = new(() =>
    {
        var home = Directory.CreateTempSubdirectory("im-home-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(home, recursive: true);
        return home;
    });

    private static readonly Lazy<Task<string>> Published = new(PublishDefaultAsync);

    /// <summary>A folder of its own holding the project published with the default settings.</summary>
    public static async Task<string> CopyAsync()
    {
        var source = await Published.Value.ConfigureAwait(false);
        var copy = Directory.CreateTempSubdirectory("im-published-").FullName;
        await Command.RunAsync("cp", "-a", source + "/.", copy).ConfigureAwait(false);
        return copy;
    }

    /// <summary>
    /// Runs the AppHost with <paramref name="arguments"/> to its end (outside any namespace: publish sends nothing); a
    /// publish, which builds the probe's image, holds <see cref="ProbeBuild.Lock"/>.
    /// </summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAppHostAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return arguments.Contains("publish") ? ProbeBuild.OneAtATimeAsync(() => RunAsync(AppHost, arguments, environment)) : RunAsync(AppHost, arguments, environment);
    }

    /// <summary>
    /// <c>aspire publish</c> of the AppHost's build by the Aspire CLI (the dotnet tool, installed once into .cache/,
    /// which git ignores), in a scratch folder (the CLI writes its aspire.config.json where it runs).
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Error)> AspirePublishAsync(string output, params string[] arguments)
    {
        var tools = Repository.PathOf(".cache", "aspire-cli");
        var aspire = Path.Combine(tools, "aspire");
        if (!File.Exists(aspire))
        {
            await Command.RunAsync("dotnet", "tool", "install", "--tool-path", tools, "Aspire.Cli", "--version", AspireCliVersion).ConfigureAwait(false);
        }

        var scratch = Directory.CreateTempSubdirectory("im-aspire-cli-").FullName;
        try
        {
            return await ProbeBuild.OneAtATimeAsync(() => RunAsync(aspire, ["publish", "--apphost", Repository.PathOf("InternetMonitor.AppHost", "InternetMonitor.AppHost.csproj"), "--output-path", output,
                "--no-build", "--non-interactive", "--nologo", .. arguments.Length > 0 ? ["--", .. arguments] : Array.Empty<string>()],
                new Dictionary<string, string> { ["Configuration"] = Configuration, ["ASPIRE_CLI_TELEMETRY_OPTOUT"] = "1" }, scratch)).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The Aspire CLI that matches the AppHost's Aspire packages.</summary>
    public const string AspireCliVersion = "13.6.5";

    private static string Configuration => typeof(PublishedStack).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, string? directory = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? Environment.CurrentDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in AspireHome.Environment(Home.Value).Concat(environment ?? new Dictionary<string, string>()))
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new LabException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    /// <summary>Sets <paramref name="values"/> in the project's .env, as an operator edits it.</summary>
    public static async Task SetAsync(string project, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var path = Path.Combine(project, ".env");
        var lines = (await File.ReadAllLinesAsync(path).ConfigureAwait(false)).ToList();
        foreach (var (name, value) in values)
        {
            var index = lines.FindIndex(line => line.StartsWith(name + "=", StringComparison.Ordinal));
            Assert.True(index >= 0, $"{name} is not in .env");
            lines[index] = $"{name}={value}";
        }

        await File.WriteAllLinesAsync(path, lines).ConfigureAwait(false);
    }

    private static async Task<string> PublishDefaultAsync()
    {
        var directory = Directory.CreateTempSubdirectory("im-publish-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var (code, output, error) = await RunAppHostAsync(["publish", "--output", directory]).ConfigureAwait(false);
        return code == 0 ? directory : throw new LabException($"publish exited with {code}: {output}{error}");
    }
}
