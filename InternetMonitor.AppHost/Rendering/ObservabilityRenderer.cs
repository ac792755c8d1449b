using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.AppHost.Stack;

namespace InternetMonitor.AppHost.Rendering;

/// <summary>
/// Writes the stack's configuration for one run or deployment: a copy of observability/ with the parts that
/// depend on settings rendered (prometheus/prometheus.yml for the site and its remote write, alertmanager/alertmanager.yml,
/// and the secret files each names, owner-only).
/// Rendered for containers, the secrets folder is owner-only and the files in it readable:
/// each file is bind-mounted alone into Alertmanager's container, whose user is not this host's owner.
/// </summary>
public static class ObservabilityRenderer
{
    /// <summary>observability/ as shipped beside the AppHost's binary.</summary>
    public static string SourceDirectory => Path.Combine(AppContext.BaseDirectory, "observability");

    public static IReadOnlyList<string> Render(string source, string output, AlertingOptions alerting, AlertmanagerTarget alertmanager, SecretReader secrets, bool forContainers = false, StackOptions? stack = null)
    {
        ArgumentNullException.ThrowIfNull(alertmanager);
        stack ??= new StackOptions();
        var prometheus = PrometheusConfigRenderer.Render(File.ReadAllText(Path.Combine(source, "prometheus", "prometheus.yml")), stack.Site, stack.RemoteWrite, secrets);
        if (!prometheus.Succeeded)
        {
            return prometheus.Errors;
        }

        var alertmanagerSource = Path.Combine(source, "alertmanager", "alertmanager.yml");
        var rendering = AlertmanagerConfigRenderer.Render(File.ReadAllText(alertmanagerSource), alerting, alertmanager, secrets);
        if (!rendering.Succeeded)
        {
            return rendering.Errors;
        }

        if (forContainers && rendering.HoldsSecret)
        {
            // The file would be owner-only on this host, and unreadable by Alertmanager's user in its container.
            return [$"the Telegram receiver needs Alertmanager 0.26 or later in a compose project, which reads the bot token from a file (this one is {alertmanager.Version.ToString(3)}: set ALERTMANAGER_IMAGE to a newer one)"];
        }

        CopyDirectory(source, output);
        var alertmanagerOutput = Path.Combine(output, "alertmanager");
        WriteSecrets(alertmanagerOutput, "secrets", rendering.SecretFiles, forContainers);

        WriteSecrets(output, PrometheusConfigRenderer.SecretsFolder, prometheus.SecretFiles, forContainers);
        File.WriteAllText(Path.Combine(output, "prometheus", "prometheus.yml"), prometheus.Yaml); // its secrets are in files of their own

        var config = Path.Combine(alertmanagerOutput, "alertmanager.yml");
        if (rendering.HoldsSecret)
        {
            WritePrivate(config, rendering.Yaml);
        }
        else
        {
            File.WriteAllText(config, rendering.Yaml);
        }

        return [];
    }

    /// <summary>
    /// A secrets folder (<paramref name="folder"/> under <paramref name="root"/>) made anew, so that a credential switched off
    /// leaves no file behind: owner-only, each file in it owner-only too, or readable when rendered for containers, where
    /// each is mounted alone for the part's user. <paramref name="files"/> are named relative to <paramref name="root"/>.
    /// </summary>
    private static void WriteSecrets(string root, string folder, IReadOnlyDictionary<string, string> files, bool forContainers)
    {
        var secretsOutput = Path.Combine(root, folder);
        if (Directory.Exists(secretsOutput))
        {
            Directory.Delete(secretsOutput, recursive: true);
        }

        foreach (var (relative, value) in files)
        {
            WritePrivate(Path.Combine(root, relative), value.EndsWith('\n') ? value : value + "\n", readable: forContainers);
        }

        if (forContainers && Directory.Exists(secretsOutput) && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(secretsOutput, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WritePrivate(string path, string text, bool readable = false)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        if (readable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | (readable ? UnixFileMode.GroupRead | UnixFileMode.OtherRead : UnixFileMode.None);
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)), overwrite: true);
        }
    }
}
