using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.CommandLine;

namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// The AppHost's command line: the stack by default (<c>[--mode process|container]</c>), <c>publish --output DIR
/// [--runtime RID]</c> and <c>render --output DIR</c>, each with its help and <c>--Section:Key=value</c> settings.
/// </summary>
public static partial class StackCommandLine
{
    public const string Description = """
        Runs the Internet Monitor stack under .NET Aspire: the probe, Prometheus, Alertmanager, node-exporter, cAdvisor,
        Loki and Grafana, with the Aspire dashboard. Aspire's own switches (--operation, --publisher, --step,
        --output-path, --log-level, --environment, ...) are passed to Aspire as they are.
        """;

    public const string ExitCodes = "Exit codes: 0 stopped or written, 2 bad arguments or settings (one line each on standard error).";

    /// <summary>Aspire's own switches, each with a value, let through for the Aspire CLI and the test builder.</summary>
    private static readonly string[] AspireSwitches = ["--operation", "--publisher", "--step", "--output-path", "--log-level", "--environment"];

    /// <summary>Aspire's switches whose value may be left out.</summary>
    private static readonly string[] AspireFlags = ["--include-exception-details", "--clear-cache"];

    /// <summary>
    /// Parses <paramref name="args"/>: the arguments of a run or a publish, for Program.cs to go on with; or null and the
    /// exit code when the command line has been answered here (help, <c>render</c>) or refused (one line per problem).
    /// </summary>
    public static async Task<(StackArguments? Arguments, int ExitCode)> ParseAsync(string[] args, TextWriter output, TextWriter error)
    {
        StackArguments? arguments = null;
        var exitCode = await CommandLineRun.InvokeAsync(Create(parsed => arguments = parsed), args, output, error, (_, problem) => $"Invalid configuration: {problem}").ConfigureAwait(false);
        return (exitCode == 0 ? arguments : null, exitCode);
    }

    private static SettingsCommand Create(Action<StackArguments> parsed)
    {
        var scope = SettingsScope.Under([.. KnownSections()]);
        var mode = new Option<string>("--mode")
        {
            Description = "process: each part as the Debian program on PATH; container: each part as a container of its pinned image; default: container when a Docker engine answers",
            HelpName = "process|container",
        }.GivenLastWins();
        mode.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? string.Empty;
            if (!Enum.TryParse<StackMode>(value, ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen) || chosen == StackMode.Auto || value.Any(char.IsDigit))
            {
                result.AddError($"--mode must be process or container (got \"{value}\"); without it, container mode is used when a Docker engine answers");
            }
        });
        var aspire = AspireSwitches.Select(name => new Option<string>(name) { Hidden = true, Recursive = true })
            .Concat(AspireFlags.Select(name => new Option<string>(name) { Hidden = true, Recursive = true, Arity = ArgumentArity.ZeroOrOne }))
            .ToList();

        var root = new SettingsCommand("InternetMonitor.AppHost", Description, scope) { Notes = ExitCodes };
        root.Add(new HelpOption());
        root.Add(mode);
        aspire.ForEach(root.Add);
        root.Add(Publish(scope, aspire, parsed));
        root.Add(RenderCommand.Create(scope));
        root.Validators.Add(result =>
        {
            if (Aspire(result, aspire) is var given && Publishing(given) && !given.Contains("--output-path"))
            {
                result.AddError("publish needs --output-path DIR, the folder the compose project is written to");
            }
        });
        root.SetAction((result, settings, _) =>
        {
            var given = Aspire(result, aspire);
            var chosen = result.GetValue(mode) is { } value ? Enum.Parse<StackMode>(value, ignoreCase: true) : StackMode.Auto;
            var output = given.IndexOf("--output-path") is var at and >= 0 ? given[at + 1] : null;
            parsed(new StackArguments(chosen, Publishing(given), output, HostRuntime.Identifier, settings, given));
            return Task.FromResult(0);
        });
        return root;
    }

    /// <summary><c>publish --output DIR [--runtime RID]</c>: the compose project, written by a step on Aspire's pipeline.</summary>
    private static SettingsCommand Publish(SettingsScope scope, IReadOnlyList<Option<string>> aspire, Action<StackArguments> parsed)
    {
        var output = new Option<string>("--output") { Description = "The folder the compose project is written to", HelpName = "DIR" }.GivenLastWins();
        var runtime = new Option<string>("--runtime")
        {
            Description = $"The Linux runtime identifier of the host that will run it (linux-x64, linux-arm64, linux-arm); default: this host's, {HostRuntime.Identifier}",
            HelpName = "RID",
        }.GivenLastWins();
        runtime.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !RuntimePattern().IsMatch(value))
            {
                result.AddError($"--runtime must be a Linux runtime identifier such as linux-x64 or linux-arm64 (got \"{value}\")");
            }
        });
        var role = RoleOption();
        var publish = new SettingsCommand("publish", "Writes the stack as a compose project (docker-compose.yaml, .env, the rendered configuration, the probe's image) and exits.", scope) { Notes = ExitCodes };
        publish.Add(output);
        publish.Add(runtime);
        publish.Add(role);
        publish.Validators.Add(result =>
        {
            if (result.GetResult(output) is null)
            {
                result.AddError("publish needs --output DIR, the folder the compose project is written to");
            }
        });
        publish.SetAction((result, settings, _) =>
        {
            parsed(new StackArguments(StackMode.Auto, Publish: true, result.GetValue(output), result.GetValue(runtime) ?? HostRuntime.Identifier, settings, Aspire(result, aspire))
            {
                Role = Role(result.GetValue(role)),
            });
            return Task.FromResult(0);
        });
        return publish;
    }

    /// <summary>
    /// <c>--role site|central</c> of <c>publish</c> and <c>render</c>: a site's stack (the default), or the central machine's
    /// that every site writes to (docs/sites.md).
    /// </summary>
    internal static Option<string> RoleOption()
    {
        var role = new Option<string>("--role")
        {
            Description = "site: a site's stack, the probe and its parts (default); central: the machine every site writes to (its store behind a gate, Alertmanager, Grafana; the Central settings)",
            HelpName = "site|central",
        }.GivenLastWins();
        role.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>() ?? string.Empty;
            if (!Enum.TryParse<StackRole>(value, ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen) || value.Any(char.IsDigit))
            {
                result.AddError($"--role must be site or central (got \"{value}\")");
            }
        });
        return role;
    }

    /// <summary>The role <see cref="RoleOption"/> gave, or a site's.</summary>
    internal static StackRole Role(string? value) => value is null ? StackRole.Site : Enum.Parse<StackRole>(value, ignoreCase: true);

    /// <summary>Aspire's switches as given, each followed by its value.</summary>
    private static List<string> Aspire(ParseResult result, IEnumerable<Option<string>> aspire) =>
        [.. aspire.Where(option => result.GetResult(option) is not null).SelectMany(option => new[] { option.Name, result.GetValue(option) ?? string.Empty })];

    private static List<string> Aspire(SymbolResult result, IEnumerable<Option<string>> aspire) =>
        [.. aspire.Where(option => result.GetResult(option) is not null).SelectMany(option => new[] { option.Name, result.GetValue(option) ?? string.Empty })];

    private static bool Publishing(List<string> aspire) =>
        aspire.IndexOf("--operation") is var at and >= 0 && aspire[at + 1].Equals("publish", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<string> KnownSections() => StackArguments.KnownSections;

    [GeneratedRegex(@"^linux-(x64|arm64|arm)$")]
    private static partial Regex RuntimePattern();
}
