using System.CommandLine;
using System.Globalization;
using InternetMonitor.CommandLine;

namespace InternetMonitor.Probe.Probing.SpeedTest.Command;

/// <summary>
/// <c>speedtest [--server URL] [--server-type cloudflare|librespeed|url] [--upload-url URL] [--streams N]
/// [--max-bytes N] [--token TOKEN] [--json] [--Monitor:SpeedTest:Key=value ...]</c>: its options and what a parse
/// of them asks for, as configuration keys over Monitor:SpeedTest, so that the same validation applies to both.
/// </summary>
public sealed class SpeedTestCommandLine
{
    public const string Description = "Measures download, upload and latency once against one server, with the scheduled job's engine and settings (not its data budget).";

    public const string ExitCodes = "Exit codes: 0 measured, 1 the test failed (the reason is printed), 2 bad arguments or settings.";

    private static readonly string[] ServerTypes = ["cloudflare", "librespeed", "url"];

    private readonly Option<string> _server = new("--server")
    {
        Description = "Base URL (cloudflare, librespeed) or download URL (url); default: Monitor:SpeedTest:Server",
        HelpName = "URL",
    };

    private readonly Option<string> _serverType = new("--server-type")
    {
        Description = "The server's kind; default: Monitor:SpeedTest:ServerType",
        HelpName = string.Join('|', ServerTypes),
    };

    private readonly Option<string> _uploadUrl = new("--upload-url") { Description = "url servers only: where to POST uploads", HelpName = "URL" };
    private readonly Option<int> _streams = new("--streams") { Description = "Parallel streams, 0 = automatic (up to 16)", HelpName = "N" };
    private readonly Option<long> _maxBytes = new("--max-bytes") { Description = "Body bytes the run may move, both directions together", HelpName = "N" };
    private readonly Option<string> _token = new("--token") { Description = "Bearer token for a probe that serves speed tests with one", HelpName = "TOKEN" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON document on stdout instead of the summary" };

    public SpeedTestCommandLine()
    {
        _server.GivenLastWins();
        _serverType.GivenLastWins();
        _uploadUrl.GivenLastWins();
        _streams.GivenLastWins();
        _maxBytes.GivenLastWins();
        _token.GivenLastWins();
        _serverType.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !ServerTypes.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"--server-type must be cloudflare, librespeed or url (got '{value}')");
            }
        });
        Command = new SettingsCommand(SpeedTestCommand.Name, Description, SettingsScope.Under($"Monitor:{SpeedTestOptions.Section}")) { Notes = ExitCodes };
        foreach (var option in (Option[])[_server, _serverType, _uploadUrl, _streams, _maxBytes, _token, _json])
        {
            Command.Add(option);
        }
    }

    /// <summary>The <c>speedtest</c> command, without an action.</summary>
    internal SettingsCommand Command { get; }

    /// <summary>What a parse asked for: the settings given, then the options over them, as Monitor:SpeedTest keys; and whether to print JSON.</summary>
    public (IReadOnlyDictionary<string, string?> Settings, bool Json) Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in Command.Read(result).Settings)
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            settings[setting[2..equals]] = setting[(equals + 1)..];
        }

        void Set(string key, string? value)
        {
            if (value is not null)
            {
                settings[$"Monitor:{SpeedTestOptions.Section}:{key}"] = value;
            }
        }

        Set(nameof(SpeedTestOptions.Server), result.GetValue(_server));
        Set(nameof(SpeedTestOptions.ServerType), result.GetValue(_serverType));
        Set(nameof(SpeedTestOptions.UploadUrl), result.GetValue(_uploadUrl));
        Set(nameof(SpeedTestOptions.Streams), result.GetResult(_streams) is null ? null : result.GetValue(_streams).ToString(CultureInfo.InvariantCulture));
        Set(nameof(SpeedTestOptions.MaxBytes), result.GetResult(_maxBytes) is null ? null : result.GetValue(_maxBytes).ToString(CultureInfo.InvariantCulture));
        Set(nameof(SpeedTestOptions.Token), result.GetValue(_token));
        return (settings, result.GetValue(_json));
    }
}
