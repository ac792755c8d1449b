using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
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
            return [TelegramInContainers(alertmanager)];
        }

        CopyDirectory(source, output);
        WriteSecrets(output, PrometheusConfigRenderer.SecretsFolder, prometheus.SecretFiles, forContainers);
        File.WriteAllText(Path.Combine(output, "prometheus", "prometheus.yml"), prometheus.Yaml); // its secrets are in files of their own
        WriteAlertmanager(output, rendering, forContainers);
        return [];
    }

    /// <summary>The file would be owner-only on this host, and unreadable by Alertmanager's user in its container.</summary>
    private static string TelegramInContainers(AlertmanagerTarget alertmanager) =>
        $"the Telegram receiver needs Alertmanager 0.26 or later in a compose project, which reads the bot token from a file (this one is {alertmanager.Version.ToString(3)}: set ALERTMANAGER_IMAGE to a newer one)";

    /// <summary>alertmanager/alertmanager.yml as rendered (owner-only when it holds a secret) and its secrets folder.</summary>
    private static void WriteAlertmanager(string output, AlertmanagerRendering rendering, bool forContainers)
    {
        var alertmanagerOutput = Path.Combine(output, "alertmanager");
        WriteSecrets(alertmanagerOutput, "secrets", rendering.SecretFiles, forContainers);
        var config = Path.Combine(alertmanagerOutput, "alertmanager.yml");
        if (rendering.HoldsSecret)
        {
            WritePrivate(config, rendering.Yaml);
        }
        else
        {
            File.WriteAllText(config, rendering.Yaml);
        }
    }

    /// <summary>
    /// The central store's configuration (<c>--role central</c>): a copy of observability/ with central/'s files rendered
    /// for its ports, store and SiteSilent window, the gate's credentials and certificate in central-secrets/, and
    /// Alertmanager's receivers rendered as at a site but without the alert log, which lives at each site.
    /// </summary>
    public static IReadOnlyList<string> RenderCentral(string source, string output, CentralOptions central, StackOptions stack, AlertingOptions alerting,
        AlertmanagerTarget alertmanager, SecretReader secrets, bool forContainers = false)
    {
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(alertmanager);
        var problems = CentralConfigRenderer.Problems(central, stack.Ports);
        if (problems.Count > 0)
        {
            return problems;
        }

        var rendering = AlertmanagerConfigRenderer.Render(File.ReadAllText(Path.Combine(source, "alertmanager", "alertmanager.yml")), alerting, alertmanager, secrets, alertLog: false);
        var store = new Uri(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{central.Ports.Store}/"));
        var (gateFiles, gateErrors) = GateConfigRenderer.Render(central, store, secrets);
        var errors = rendering.Errors.Concat(gateErrors).ToList();
        if (forContainers && rendering.HoldsSecret)
        {
            errors.Add(TelegramInContainers(alertmanager));
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        CopyDirectory(source, output);
        var centralOutput = Path.Combine(output, CentralBuilderExtensions.ConfigFolder);
        var prometheus = CentralConfigRenderer.Prometheus(File.ReadAllText(Path.Combine(source, CentralBuilderExtensions.ConfigFolder, "prometheus", "prometheus.yml")), central, stack.Ports);
        File.WriteAllText(Path.Combine(centralOutput, "prometheus", "prometheus.yml"), prometheus);
        if (central.Store == CentralStore.VictoriaMetrics)
        {
            Directory.CreateDirectory(Path.Combine(centralOutput, "victoriametrics"));
            File.WriteAllText(Path.Combine(centralOutput, "victoriametrics", "scrape.yml"), CentralConfigRenderer.VictoriaMetricsScrape(prometheus));
            var alerts = Path.Combine(output, "prometheus", "rules", "alerts.yml");
            File.WriteAllText(alerts, CentralConfigRenderer.VmalertRules(File.ReadAllText(alerts)));
        }

        var sites = Path.Combine(centralOutput, "rules", "sites.yml");
        File.WriteAllText(sites, CentralConfigRenderer.Sites(File.ReadAllText(sites), central));
        WriteSecrets(output, CentralBuilderExtensions.SecretsFolder, gateFiles, forContainers);
        WriteAlertmanager(output, rendering, forContainers);
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
