namespace InternetMonitor.CommandLine;

/// <summary>Which settings a <see cref="SettingsCommand"/> passes on: any key, or only those under some sections.</summary>
internal sealed class SettingsScope
{
    private SettingsScope(IReadOnlyList<string> sections, string form)
    {
        Sections = sections;
        Form = form;
    }

    /// <summary>Any key: the probe reads its own settings and ASP.NET Core's and OpenTelemetry's (<c>--urls</c>, <c>--OTEL_...</c>).</summary>
    public static SettingsScope Any { get; } = new([], "--Section:Key=value");

    /// <summary>The help's section on settings, which System.CommandLine does not know.</summary>
    public string Help => $"""
        Settings:
          {Form} or {Form.Replace('=', ' ')}
            {(Sections.Count == 0 ? "Any setting" : $"A setting under {string.Join(", ", Sections)}")}, over appsettings.json and the environment (docs/configuration.md lists every key)
        """;

    /// <summary>The sections that hold every key passed on; none for any key.</summary>
    public IReadOnlyList<string> Sections { get; }

    /// <summary>How a setting is written, for the message about a token that is none.</summary>
    public string Form { get; }

    /// <summary>Keys under <paramref name="sections"/> (such as <c>Stack</c> or <c>Monitor:SpeedTest</c>) alone.</summary>
    public static SettingsScope Under(params string[] sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        return new(sections, sections is [var one] ? $"--{one}:Key=value" : "--Section:Key=value");
    }

    /// <summary>Why <paramref name="key"/> is not passed on, or null when it is: a section nobody reads is a typo (--Monitr:...), not a setting silently ignored.</summary>
    public string? Problem(string key) =>
        Sections.Count == 0 || Sections.Any(section => key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase))
            ? null
            : $"{key} is not a known setting: settings are under {string.Join(", ", Sections)}";
}
