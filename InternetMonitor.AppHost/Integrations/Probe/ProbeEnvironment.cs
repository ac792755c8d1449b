using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Integrations.Probe;

/// <summary>The probe's settings as the stack gives them: its listen address, and every <c>Monitor</c> setting of the AppHost.</summary>
public static class ProbeEnvironment
{
    /// <summary>Where ServiceDefaults also sends logs (Loki's OTLP endpoint), besides the standard OTLP variables' place.</summary>
    public const string LokiLogsVariable = "INTERNET_MONITOR_LOGS_OTLP_ENDPOINT";

    /// <summary>
    /// <c>Urls</c> (which the probe's appsettings.json would otherwise set to every address; in container mode the
    /// engine's host gateway too, where the containers reach it), every <c>Monitor</c> setting
    /// passed on as it is (<c>Monitor__Icmp__Interval</c>), so the stack has one place for its configuration; as a
    /// program of this host, its history and data budget in its folder of the state directory unless set.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> For(IConfiguration configuration, StackLayout layout, int port)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(layout);
        yield return new("Urls", layout.ProcessUrls(port));
        var monitor = configuration.GetSection("Monitor");
        if (layout.Run != StackRun.Compose)
        {
            // A project runs in its source folder: its files go to the state folder instead (in a container, to its volume).
            var data = Path.Combine(layout.StateDirectory, "data", "probe");
            Directory.CreateDirectory(data);
            if (monitor["History:Path"] is null)
            {
                yield return new("Monitor__History__Path", Path.Combine(data, "history.db"));
            }

            if (monitor["SpeedTest:Budget:StatePath"] is null)
            {
                yield return new("Monitor__SpeedTest__Budget__StatePath", Path.Combine(data, "speedtest-budget.json"));
            }
        }

        foreach (var setting in monitor.AsEnumerable().Where(pair => pair.Value is not null))
        {
            // In a compose file a dollar sign starts a variable: a setting's own is written $$.
            var value = layout.Run == StackRun.Compose ? setting.Value!.Replace("$", "$$", StringComparison.Ordinal) : setting.Value!;
            yield return new(setting.Key.Replace(":", "__", StringComparison.Ordinal), value);
        }
    }
}
