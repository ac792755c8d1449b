using System.Net.Http.Headers;
using System.Text;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// A site's Prometheus, its configuration rendered from <c>Stack:Site</c> and <c>Stack:RemoteWrite</c>, writing to a
/// central Prometheus with its remote-write receiver behind basic authentication (both Debian's Prometheus, on loopback):
/// the central store holds the site's series under its site label, and refuses a wrong password.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class RemoteWriteTests
{
    private const string Password = "site-password";

    // bcrypt of Password (cost 10), as Prometheus' web configuration takes it: made with Python's crypt module once.
    private const string PasswordHash = "$2b$10$948KmV6BXBG4ekYc5aeC3./KqvZKIaaeHYX8ulTAVB1/tRpe61EPi";

    [Fact]
    public async Task The_central_store_holds_the_sites_series_under_its_site_label()
    {
        await using var central = await StartCentralAsync();
        await using var site = await StartSiteAsync(central.Url, Password);

        var written = await central.WaitForAsync("up{job=\"prometheus\"}", results => results.Count > 0);

        var series = Assert.Single(written);
        Assert.Equal("office", series.Labels["site"]);
        Assert.Equal(site.Url.Authority, series.Labels["instance"]);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_site_counts_what_it_could_not_send()
    {
        await using var central = await StartCentralAsync();
        await using var site = await StartSiteAsync(central.Url, "not-the-password");

        // 401 is not retried: the samples are dropped, and the site's own counter says so.
        await site.WaitForAsync($"prometheus_remote_storage_samples_failed_total{{remote_name=\"{PrometheusConfigRenderer.RemoteName}\"}} > 0", results => results.Count == 1);
        Assert.Empty(await central.QueryAsync("up{job=\"prometheus\"}"));
    }

    private static Task<PrometheusServer> StartCentralAsync()
    {
        var folder = Directory.CreateTempSubdirectory("im-central-").FullName;
        var web = Path.Combine(folder, "web.yml");
        File.WriteAllText(web, $"basic_auth_users:\n  office: '{PasswordHash}'\n");
        var config = Path.Combine(folder, "prometheus.yml");
        File.WriteAllText(config, "global:\n  scrape_interval: 1s\n");
        return PrometheusServer.StartWithConfigAsync(config, folder, ["--web.enable-remote-write-receiver", $"--web.config.file={web}"],
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("office:" + Password))));
    }

    /// <summary>A site's Prometheus for the site "office" writing to <paramref name="central"/> with basic authentication.</summary>
    private static Task<PrometheusServer> StartSiteAsync(Uri central, string password)
    {
        var environment = new Dictionary<string, string> { [RemoteWriteOptions.PasswordVariable] = password };
        return SitePrometheus.StartAsync("office", new RemoteWriteOptions { Url = new Uri(central, "/api/v1/write").AbsoluteUri, Username = "office" }, new SecretReader(environment.GetValueOrDefault));
    }
}
