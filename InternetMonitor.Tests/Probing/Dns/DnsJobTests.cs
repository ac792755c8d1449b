using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing;
using InternetMonitor.Probe.Probing.Dns;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using Prometheus;

namespace InternetMonitor.Tests.Probing.Dns;

[Trait(Layer.Key, Layer.Unit)]
public sealed class DnsJobTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void With_nothing_configured_the_default_names_go_to_the_system_resolver_and_the_default_servers()
    {
        var job = Job(new DnsOptions(), Substitute.For<IProber<DnsQuery, DnsResult>>(), []);

        var servers = job.Queries().ToList();

        Assert.Equal(["system", "cloudflare", "google", "quad9"], servers.Select(queries => queries[0].Server));
        Assert.All(servers, queries => Assert.Equal(DnsOptions.DefaultNames, queries.Select(query => query.Name)));
        Assert.Null(servers[0][0].Endpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("1.1.1.1"), 53), servers[1][0].Endpoint);
    }

    [Fact]
    public void Configured_names_and_servers_replace_the_defaults()
    {
        var options = new DnsOptions { Names = ["router.lan"], Servers = { ["isp"] = "192.0.2.53:5353" }, SystemResolver = false };

        var query = Assert.Single(Assert.Single(Job(options, Substitute.For<IProber<DnsQuery, DnsResult>>(), []).Queries()));

        Assert.Equal(new DnsQuery("isp", new IPEndPoint(IPAddress.Parse("192.0.2.53"), 5353), "router.lan", DnsRecordType.A), query);
    }

    [Fact]
    public async Task A_run_publishes_every_result_and_fails_when_one_query_fails()
    {
        var prober = Substitute.For<IProber<DnsQuery, DnsResult>>();
        prober.ProbeAsync(Arg.Any<DnsQuery>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var query = call.Arg<DnsQuery>();
            return query.Name == "b.test"
                ? new DnsResult(query, T0, TimeSpan.FromMilliseconds(3), "SERVFAIL", 0, DnsFailureReason.ServerFailure)
                : new DnsResult(query, T0, TimeSpan.FromMilliseconds(3), "NOERROR", 1, null);
        });
        var published = new List<DnsResult>();
        var recorder = Substitute.For<IRecorder<DnsResult>>();
        recorder.When(r => r.Record(Arg.Any<DnsResult>())).Do(call => { lock (published) { published.Add(call.Arg<DnsResult>()); } });
        var job = Job(new DnsOptions { Names = ["a.test", "b.test"], Servers = { ["one"] = "192.0.2.1", ["two"] = "192.0.2.2" } }, prober, [recorder]);

        var outcome = await job.RunAsync(TestContext.Current.CancellationToken);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.SkipReason);
        Assert.Equal(6, published.Count); // (system, one, two) x (a.test, b.test)
    }

    [Fact]
    public async Task The_recorder_counts_queries_by_rcode_and_failures_by_reason_and_times_only_answers()
    {
        var registry = Metrics.NewCustomRegistry();
        var recorder = new DnsMetricsRecorder(Metrics.WithCustomRegistry(registry));
        var query = new DnsQuery("isp", new IPEndPoint(IPAddress.Loopback, 53), "example.com", DnsRecordType.A);

        recorder.Record(new DnsResult(query, T0, TimeSpan.FromMilliseconds(20), "NOERROR", 1, null));
        recorder.Record(new DnsResult(query, T0, TimeSpan.FromMilliseconds(30), "SERVFAIL", 0, DnsFailureReason.ServerFailure));
        recorder.Record(new DnsResult(query, T0, TimeSpan.FromSeconds(2), null, 0, DnsFailureReason.Timeout));

        var metrics = await LabFixture.ScrapeAsync(registry);
        (string, string)[] labels = [("server", "isp"), ("name", "example.com")];
        Assert.Equal(1, metrics.Value("internet_monitor_dns_requests_total", [.. labels, ("rcode", "NOERROR")]));
        Assert.Equal(1, metrics.Value("internet_monitor_dns_requests_total", [.. labels, ("rcode", "SERVFAIL")]));
        Assert.Equal(1, metrics.Value("internet_monitor_dns_requests_total", [.. labels, ("rcode", "none")]));
        Assert.Equal(1, metrics.Value("internet_monitor_dns_failures_total", [.. labels, ("reason", "servfail")]));
        Assert.Equal(1, metrics.Value("internet_monitor_dns_failures_total", [.. labels, ("reason", "timeout")]));
        Assert.Equal(2, metrics.Value("internet_monitor_dns_duration_seconds_count", labels));
        Assert.Equal(0.050, metrics.Value("internet_monitor_dns_duration_seconds_sum", labels)!.Value, 9);
    }

    private static DnsJob Job(DnsOptions options, IProber<DnsQuery, DnsResult> prober, IEnumerable<IRecorder<DnsResult>> recorders) =>
        new(Options.Create(options), prober, new ResultPublisher<DnsResult>(recorders, NullLogger<ResultPublisher<DnsResult>>.Instance));
}
