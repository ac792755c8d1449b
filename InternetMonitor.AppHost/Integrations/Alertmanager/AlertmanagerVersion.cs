using System.Diagnostics;
using System.Text.RegularExpressions;

namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>The version of the Alertmanager on PATH, under Debian's name or upstream's, as its <c>--version</c> prints it.</summary>
public static partial class AlertmanagerVersion
{
    public static readonly string[] ProgramNames = ["prometheus-alertmanager", "alertmanager"];

    public static Version? Parse(string text) =>
        Version.TryParse(text.Trim().TrimStart('v'), out var version) && version.Build >= 0 ? version : null;

    /// <summary>The installed version, or null when no Alertmanager is on PATH (or it does not answer within 10 s).</summary>
    public static async Task<Version?> InstalledAsync()
    {
        foreach (var name in ProgramNames)
        {
            Process? process;
            try
            {
                process = Process.Start(new ProcessStartInfo(name, "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            }
            catch (System.ComponentModel.Win32Exception)
            {
                continue; // not on PATH under this name
            }

            if (process is null)
            {
                continue;
            }

            using (process)
            {
                // Both streams at once: reading one to its end while the other fills its pipe can block both sides.
                var output = process.StandardOutput.ReadToEndAsync();
                var error = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    process.Kill();
                    continue;
                }

                if (Pattern().Match(await output.ConfigureAwait(false) + await error.ConfigureAwait(false)) is { Success: true } match)
                {
                    return Parse(match.Groups[1].Value);
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"version (\d+\.\d+\.\d+)")]
    private static partial Regex Pattern();
}
