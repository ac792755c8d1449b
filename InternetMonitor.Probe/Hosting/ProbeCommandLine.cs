using System.CommandLine;
using System.CommandLine.Help;
using InternetMonitor.CommandLine;
using InternetMonitor.Probe.Probing.SpeedTest.Command;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The probe's command line: the service by default, <c>speedtest</c> and <c>check-config</c>, each with its help;
/// every one takes <c>--Section:Key=value</c> settings, handed to the configuration.
/// </summary>
internal static class ProbeCommandLine
{
    public const string Description = """
        Measures an internet connection all day (ICMP, DNS, HTTP, speed tests) and serves its metrics on
        http://127.0.0.1:8000/metrics unless --urls or ASPNETCORE_URLS say otherwise.

        Settings come from appsettings.json, environment variables (Monitor__Icmp__Interval=00:00:02) and arguments
        (--Monitor:Icmp:Interval=00:00:02 or --Monitor:Icmp:Interval 00:00:02); docs/configuration.md lists every key. By default
        the probe pings public anchors and the gateway, and runs DNS, HTTP and speed-test checks against public servers.
        """;

    public const string ExitCodes = "Exit codes: 0 stopped, 2 bad arguments or settings, 3 cannot start (no ICMP permission, the port in use).";

    public const string CheckConfigDescription = "Validates the settings as a start would, without starting anything, and exits.";

    public const string CheckConfigExitCodes = "Exit codes: 0 valid, 2 not (one line on standard error naming the key).";

    /// <summary>The line written for a problem found in <paramref name="command"/>'s arguments.</summary>
    public static string Line(Command command, string problem) => $"{command.Name}: {problem.TrimEnd('.')} (see --help)";

    /// <summary>Parses <paramref name="args"/> and runs what they name; <c>help [COMMAND]</c> reads as <c>[COMMAND] --help</c>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        string[] arguments = args is ["help", .. var rest] ? [.. rest, "--help"] : args;
        return CommandLineRun.InvokeAsync(Create(new(!Console.IsOutputRedirected, !Console.IsErrorRedirected)), arguments, output, error, Line);
    }

    private static SettingsCommand Create(SpeedTestCommand.Terminals terminals)
    {
        var urls = new Option<string>("--urls")
        {
            Description = "Where the probe serves HTTP, e.g. http://0.0.0.0:8000 to be reached from the network; default: Urls or ASPNETCORE_URLS, else http://127.0.0.1:8000",
            HelpName = "URL",
        }.GivenLastWins();
        var checkConfig = new SettingsCommand(ProbeProgram.CheckConfigCommand, CheckConfigDescription, SettingsScope.Any) { Notes = CheckConfigExitCodes };
        checkConfig.SetAction((result, settings, _) => ProbeProgram.CheckConfigAsync([.. settings], result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        var root = new SettingsCommand(ProbeProgram.ServiceName, Description, SettingsScope.Any) { Notes = ExitCodes };
        root.Add(new HelpOption());
        root.Add(urls);
        root.Add(SpeedTestCommand.Create(terminals));
        root.Add(checkConfig);
        root.SetAction((result, settings, _) =>
            ProbeProgram.RunProbeAsync(result.GetValue(urls) is { } value ? [$"--urls={value}", .. settings] : [.. settings], result.InvocationConfiguration.Error));
        return root;
    }
}
