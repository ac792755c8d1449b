using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Integrations.Probe;

/// <summary>The probe's settings as the stack gives them: its listen address, and every <c>Monitor</c> setting of the AppHost.</summary>
public static class ProbeEnvironment
{
    /// <summary>Where ServiceDefaults also sends logs (Loki's OTLP endpoint), besides the standard OTLP variables' place.</summary>
    public const string LokiLogsVariable = "INTERNET_MONITOR_LOGS_OTLP_ENDPOINT";

    /// <summary>The probe's setting of its data folder, under <c>Monitor</c>.</summary>
    public const string DataDirectoryKey = "DataDirectory";

    /// <summary>
    /// <c>Urls</c> (the stack's listen address, where the probe would otherwise listen on loopback alone; in container mode
    /// the engine's host gateway too, where the containers reach it), the site's name (<see cref="SiteName.ProbeVariable"/>,
    /// its logs' and traces' <c>site</c> resource attribute), every <c>Monitor</c> setting
    /// passed on as it is (<c>Monitor__Icmp__Interval</c>), so the stack has one place for its configuration; its data
    /// folder (<c>Monitor__DataDirectory</c>) unless set: as a program of this host its folder of the state directory
    /// (created owner-only), in the compose project its volume.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> For(IConfiguration configuration, StackLayout layout, int port)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(layout);
        yield return new("Urls", layout.ProcessUrls(port));
        yield return new(SiteName.ProbeVariable, layout.Options.Site);
        var monitor = configuration.GetSection("Monitor");
        if (monitor[DataDirectoryKey] is null)
        {
            yield return new($"Monitor__{DataDirectoryKey}", layout.Run == StackRun.Compose ? ProbeImage.DataDirectory : StateFolder(layout));
        }

        foreach (var setting in monitor.AsEnumerable().Where(pair => pair.Value is not null))
        {
            // In a compose file a dollar sign starts a variable: a setting's own is written $$.
            var value = layout.Run == StackRun.Compose ? setting.Value!.Replace("$", "$$", StringComparison.Ordinal) : setting.Value!;
            yield return new(setting.Key.Replace(":", "__", StringComparison.Ordinal), value);
        }
    }

    /// <summary>The probe's folder of the state directory, created owner-only (it holds what the probe, often root, writes).</summary>
    private static string StateFolder(StackLayout layout)
    {
        var data = Path.Combine(layout.StateDirectory, "data", "probe");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(data);
        }
        else
        {
            Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return data;
    }
}
