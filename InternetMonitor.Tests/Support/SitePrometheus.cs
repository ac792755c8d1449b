using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Prometheus;

namespace InternetMonitor.Tests.Support;

/// <summary>
/// A site's Prometheus (Debian's) scraping itself every second, its configuration rendered for <c>Stack:Site</c> and
/// <c>Stack:RemoteWrite</c> as the AppHost renders it, its secrets in files beside prometheus/; stopped by process id.
/// </summary>
public static class SitePrometheus
{
    public static async Task<PrometheusServer> StartAsync(string site, RemoteWriteOptions remoteWrite, SecretReader secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var folder = Directory.CreateTempSubdirectory("im-site-").FullName;
        var baseYaml = "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: prometheus\n    file_sd_configs:\n      - files: [targets/prometheus.yml]\n";
        var rendering = PrometheusConfigRenderer.Render(baseYaml, site, remoteWrite, secrets);
        Assert.Empty(rendering.Errors);
        foreach (var (relative, value) in rendering.SecretFiles) // beside prometheus/, as the AppHost renders them
        {
            Assert.DoesNotContain(value.Trim(), rendering.Yaml, StringComparison.Ordinal);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, relative))!);
            await File.WriteAllTextAsync(Path.Combine(folder, relative), value + "\n");
        }

        var prometheus = Path.Combine(folder, "prometheus");
        Directory.CreateDirectory(Path.Combine(prometheus, "targets"));
        await File.WriteAllTextAsync(Path.Combine(prometheus, "targets", "prometheus.yml"), "[]\n");
        var config = Path.Combine(prometheus, "prometheus.yml");
        await File.WriteAllTextAsync(config, rendering.Yaml);
        var server = await PrometheusServer.StartWithConfigAsync(config, folder);
        await File.WriteAllTextAsync(Path.Combine(prometheus, "targets", "prometheus.yml"), $"- targets: ['{server.Url.Authority}']\n"); // file_sd picks it up
        return server;
    }
}
