using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;
using InternetMonitor.AppHost.Integrations.Prometheus;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Observability;

/// <summary>
/// The central machine rendered by <c>render --role central</c>, run from Debian's programs on loopback, and sites' real
/// Prometheus writing to it over HTTPS (a CA made by the test), one with a bearer token and one with basic authentication:
/// each site's series arrive under its site label, a wrong token is refused and counted at the site, and a store down for a
/// while misses no sample. Once for each store (SiteSilent at a receiver: Integration/ManySitesTests).
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public abstract class CentralStoreTests(CentralStore store) : IAsyncLifetime
{
    private const string OfficeToken = "office-token-6f1c";
    private const string HomePassword = "home-password-93ad";
    private readonly string _folder = Directory.CreateTempSubdirectory("im-central-test-").FullName;

    private string Ca => Path.Combine(_folder, "ca.pem");

    public ValueTask InitializeAsync()
    {
        var (authority, certificate, key) = TestCertificates.PrivateAuthority();
        File.WriteAllText(Ca, authority);
        File.WriteAllText(Path.Combine(_folder, "gate.pem"), certificate);
        File.WriteAllText(Path.Combine(_folder, "gate-key.pem"), key);
        File.WriteAllText(Path.Combine(_folder, "office.token"), OfficeToken + "\n");
        File.WriteAllText(Path.Combine(_folder, "wrong.token"), "not-" + OfficeToken + "\n");
        File.WriteAllText(Path.Combine(_folder, "home.password"), HomePassword + "\n");
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Each_site_writes_through_the_gate_with_its_own_credential_under_its_site_label()
    {
        await using var central = await CentralMachine.StartAsync(Central(), new AlertingOptions(), new SecretReader(_ => null));
        await using var office = await StartSiteAsync(central, "office", token: "office.token");
        await using var home = await StartSiteAsync(central, "home", password: "home.password");

        var sites = await central.Store.WaitForAsync("count by (site, instance) (up{job=\"prometheus\"})", results => results.Count == 2);

        Assert.Equal(office.Url.Authority, Assert.Single(sites, series => series.Labels["site"] == "office").Labels["instance"]);
        Assert.Equal(home.Url.Authority, Assert.Single(sites, series => series.Labels["site"] == "home").Labels["instance"]);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_counted_at_the_site_whose_own_stack_goes_on()
    {
        await using var central = await CentralMachine.StartAsync(Central(), new AlertingOptions(), new SecretReader(_ => null));
        await using var office = await StartSiteAsync(central, "office", token: "wrong.token");
        await using var home = await StartSiteAsync(central, "home", password: "home.password");

        // The gate refuses it (4xx, not retried): the site drops those samples and its own counter says so.
        await office.WaitForAsync($"prometheus_remote_storage_samples_failed_total{{remote_name=\"{PrometheusConfigRenderer.RemoteName}\"}} > 0", results => results.Count == 1);
        await central.Store.WaitForAsync("up{site=\"home\"}", results => results.Count == 1);
        Assert.Empty(await central.Store.QueryAsync("up{site=\"office\"}"));
        Assert.Equal(1, Assert.Single(await office.QueryAsync("up{job=\"prometheus\"}")).Value); // its own scrapes and history go on
    }

    [Fact]
    public async Task A_store_that_is_down_for_a_while_misses_no_sample()
    {
        await using var central = await CentralMachine.StartAsync(Central(), new AlertingOptions(), new SecretReader(_ => null));
        await using var office = await StartSiteAsync(central, "office", token: "office.token");
        await central.Store.WaitForAsync("count_over_time(up{site=\"office\"}[1m]) >= 10", results => results.Count == 1);

        var down = DateTimeOffset.UtcNow;
        await central.StopStoreAsync();
        await office.WaitForAsync($"increase(prometheus_remote_storage_samples_retried_total{{remote_name=\"{PrometheusConfigRenderer.RemoteName}\"}}[1m]) > 0", results => results.Count == 1);
        await Poll.UntilAsync(() => DateTimeOffset.UtcNow - down >= TimeSpan.FromSeconds(15), "15 s with the store down", TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(200));
        await central.RestartStoreAsync();
        var back = DateTimeOffset.UtcNow;

        // The site kept what it could not send and sends it now: one sample a second, the whole time the store was down.
        var window = DateTimeOffset.UtcNow - down + TimeSpan.FromSeconds(20);
        var series = await Poll.UntilAsync(
            () => central.Store.SampleTimesAsync("up{site=\"office\"}", window),
            found => found.Count == 1 && found[0].Times[^1] >= back.ToUnixTimeSeconds() + 5,
            "the site's samples after the store returned",
            TimeSpan.FromMinutes(2),
            TimeSpan.FromMilliseconds(500));
        var times = series[0].Times;
        Assert.True(times[0] <= down.ToUnixTimeSeconds() - 5, "the window starts before the store went down");
        var largest = times.Zip(times.Skip(1), (a, b) => b - a).Max();
        Assert.True(largest <= 3, $"a gap of {largest} s in the site's samples at the store");
    }

    private CentralOptions Central() => new()
    {
        Store = store,
        TlsCertFile = Path.Combine(_folder, "gate.pem"),
        TlsKeyFile = Path.Combine(_folder, "gate-key.pem"),
        Sites =
        {
            ["office"] = new() { TokenFile = Path.Combine(_folder, "office.token") },
            ["home"] = new() { PasswordFile = Path.Combine(_folder, "home.password") },
        },
    };

    private Task<PrometheusServer> StartSiteAsync(CentralMachine central, string site, string? token = null, string? password = null) =>
        SitePrometheus.StartAsync(site, new RemoteWriteOptions
        {
            Url = central.WriteUrl.AbsoluteUri,
            BearerTokenFile = token is null ? string.Empty : Path.Combine(_folder, token),
            Username = password is null ? string.Empty : site,
            PasswordFile = password is null ? string.Empty : Path.Combine(_folder, password),
            CaFile = Ca,
        }, new SecretReader(_ => null));
}

/// <summary>The central machine with Prometheus' remote-write receiver as its store (the default).</summary>
public sealed class PrometheusCentralStoreTests() : CentralStoreTests(CentralStore.Prometheus);

/// <summary>The central machine with VictoriaMetrics as its store and vmalert evaluating the rules.</summary>
public sealed class VictoriaMetricsCentralStoreTests() : CentralStoreTests(CentralStore.VictoriaMetrics);
