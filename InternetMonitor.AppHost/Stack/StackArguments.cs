using System.Text.RegularExpressions;

namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// The AppHost's command line, read before Aspire's builder sees it: <c>[--mode process|container]</c> and
/// <c>--Section:Key=value</c> settings to run the stack; <c>publish --output DIR [--runtime RID]</c> to write the compose
/// project (Aspire's <c>--operation publish --step publish --output-path DIR</c>, which <c>aspire publish</c> passes
/// itself and which are let through as they are).
/// </summary>
public sealed partial record StackArguments(StackMode Mode, bool Publish, string? Output, string Runtime, IReadOnlyList<string> Settings, IReadOnlyList<string> Aspire)
{
    /// <summary>The sections the AppHost reads: its own, the receivers', and the probe's (passed on).</summary>
    public static IReadOnlyList<string> KnownSections { get; } = [StackOptions.Section, "Alerting", "Monitor"];

    /// <summary>Aspire's own switches, each with a value, let through for the Aspire CLI and the test builder.</summary>
    private static readonly string[] AspireSwitches =
        ["--operation", "--publisher", "--step", "--output-path", "--log-level", "--include-exception-details", "--clear-cache", "--environment"];

    /// <summary>What Aspire's builder is given: the settings, and for a publish the pipeline's step and output folder.</summary>
    public string[] ForAspire() => Publish && Output is not null && !Aspire.Contains("--operation")
        ? ["--operation", "publish", "--step", "publish", "--output-path", Path.GetFullPath(Output), .. Aspire, .. Settings]
        : [.. Aspire, .. Settings];

    /// <summary>The arguments, or their problems (one sentence each).</summary>
    public static (StackArguments? Arguments, IReadOnlyList<string> Errors) Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        var settings = new List<string>();
        var aspire = new List<string>();
        var mode = StackMode.Auto;
        var publish = args is ["publish", ..];
        string? output = null;
        var runtime = HostRuntime.Identifier;
        for (var i = publish ? 1 : 0; i < args.Length; i++)
        {
            // --name VALUE and --name=VALUE alike, for the AppHost's own options; every other --Section:Key=value is a setting.
            var (name, inline) = args[i].Split('=', 2) is [var head, var tail] && !head.Contains(':', StringComparison.Ordinal) ? (head, tail) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : string.Empty);
            switch (name)
            {
                case "--mode" when !publish:
                    var value = Value();
                    if (!Enum.TryParse(value, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || mode == StackMode.Auto || value.Any(char.IsDigit))
                    {
                        errors.Add($"--mode must be process or container (got \"{value}\"); without it, container mode is used when a Docker engine answers");
                    }

                    break;
                case "--output" when publish:
                    output = Value();
                    break;
                case "--runtime" when publish:
                    runtime = Value();
                    break;
                case var known when AspireSwitches.Contains(known, StringComparer.Ordinal):
                    aspire.Add(known);
                    aspire.Add(Value());
                    if (known == "--operation" && aspire[^1].Equals("publish", StringComparison.OrdinalIgnoreCase))
                    {
                        publish = true;
                    }

                    if (known == "--output-path")
                    {
                        output = aspire[^1];
                    }

                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains('=', StringComparison.Ordinal) && args[i].Contains(':', StringComparison.Ordinal))
                    {
                        // A section nobody reads is a typo (--Monitr:...), not a setting silently ignored.
                        var section = args[i][2..].Split(':', '=')[0];
                        if (!KnownSections.Contains(section, StringComparer.OrdinalIgnoreCase))
                        {
                            errors.Add($"{args[i][2..].Split('=')[0]} is not a known setting: settings are under {string.Join(", ", KnownSections)}");
                        }

                        settings.Add(args[i]);
                    }
                    else
                    {
                        errors.Add($"unknown argument {args[i]}: settings are written --Section:Key=value");
                    }

                    break;
            }
        }

        if (publish && string.IsNullOrEmpty(output))
        {
            errors.Add("publish needs --output DIR, the folder the compose project is written to");
        }

        if (publish && !RuntimePattern().IsMatch(runtime))
        {
            errors.Add($"--runtime must be a Linux runtime identifier such as linux-x64 or linux-arm64 (got \"{runtime}\")");
        }

        return errors.Count > 0 ? (null, errors) : (new StackArguments(mode, publish, output, runtime, settings, aspire), []);
    }

    [GeneratedRegex(@"^linux-(x64|arm64|arm)$")]
    private static partial Regex RuntimePattern();
}
