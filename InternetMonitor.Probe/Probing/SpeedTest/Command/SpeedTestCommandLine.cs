using System.Globalization;

namespace InternetMonitor.Probe.Probing.SpeedTest.Command;

/// <summary>
/// <c>speedtest [--server URL] [--server-type cloudflare|librespeed|url] [--upload-url URL] [--streams N]
/// [--max-bytes N] [--json]</c>: what was given, as configuration keys over Monitor:SpeedTest, so that the same
/// validation applies to both. <c>--Monitor:SpeedTest:Key=value</c> sets any other key.
/// </summary>
public sealed record SpeedTestCommandLine(IReadOnlyDictionary<string, string?> Settings, bool Json, bool Help)
{
    public const string Usage = """
        Usage: InternetMonitor.Probe speedtest [options]

        Measures download, upload and latency once against one server, with the engine of the scheduled job.

          --server URL          base URL (cloudflare, librespeed) or download URL (url); default: Monitor:SpeedTest:Server
          --server-type TYPE    cloudflare | librespeed | url
          --upload-url URL      url servers only: where to POST uploads
          --streams N           parallel streams, 0 = automatic (1 to 16)
          --max-bytes N         body bytes the run may move, both directions together
          --token TOKEN         bearer token for a probe that serves speed tests with one
          --json                print one JSON document on stdout instead of the summary
          --Monitor:SpeedTest:KEY=VALUE   any other setting of Monitor:SpeedTest
          -h, --help            this text

        Exit codes: 0 measured, 1 the test failed (the reason is printed), 2 bad arguments or settings.
        """;

    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["--server"] = nameof(SpeedTestOptions.Server),
        ["--server-type"] = nameof(SpeedTestOptions.ServerType),
        ["--upload-url"] = nameof(SpeedTestOptions.UploadUrl),
        ["--streams"] = nameof(SpeedTestOptions.Streams),
        ["--max-bytes"] = nameof(SpeedTestOptions.MaxBytes),
        ["--token"] = nameof(SpeedTestOptions.Token),
    };

    /// <summary>Parses the arguments after <c>speedtest</c>; throws <see cref="ArgumentException"/> with the message to show.</summary>
    public static SpeedTestCommandLine Parse(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var json = false;
        var help = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var (name, inline) = argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 0
                ? (argument[..equals], argument[(equals + 1)..])
                : (argument, null);
            switch (name)
            {
                case "--json":
                    json = true;
                    break;
                case "-h" or "--help":
                    help = true;
                    break;
                case var key when Keys.TryGetValue(key, out var setting):
                    var value = inline ?? (i + 1 < arguments.Count ? arguments[++i] : throw new ArgumentException($"{key} needs a value"));
                    settings[Key(setting)] = setting == nameof(SpeedTestOptions.ServerType) ? ServerType(value) : value;
                    break;
                case var key when key.StartsWith("--Monitor:SpeedTest:", StringComparison.OrdinalIgnoreCase) && inline is not null:
                    settings[key[2..]] = inline;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{argument}'");
            }
        }

        return new SpeedTestCommandLine(settings, json, help);
    }

    private static string Key(string setting) => $"Monitor:{SpeedTestOptions.Section}:{setting}";

    private static string ServerType(string value) => value.ToLowerInvariant() switch
    {
        "cloudflare" or "librespeed" or "url" => value,
        _ => throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--server-type must be cloudflare, librespeed or url (got '{value}')")),
    };
}
