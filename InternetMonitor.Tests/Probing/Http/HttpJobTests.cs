using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing;
using InternetMonitor.Probe.Probing.Http;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using Prometheus;

namespace InternetMonitor.Tests.Probing.Http;

[Trait(Layer.Key, Layer.Unit)]
public sealed class HttpJobTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void With_nothing_configured_the_default_targets_are_probed()
    {
        var job = Job(new HttpProbeOptions(), Substitute.For<IProber<HttpTarget, HttpResult>>());

        Assert.Equal(["cloudflare", "google"], job.Targets().Select(target => target.Name));
    }

    [Fact]
    public async Task A_run_publishes_every_result_and_fails_when_one_target_fails()
    {
        var prober = Substitute.For<IProber<HttpTarget, HttpResult>>();
        prober.ProbeAsync(Arg.Any<HttpTarget>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            var target = call.Arg<HttpTarget>();
            return target.Name == "down"
                ? new HttpResult(target, T0, new Dictionary<HttpPhase, TimeSpan>(), TimeSpan.FromSeconds(1), null, 0, HttpFailureReason.ConnectRefused, HttpPhase.Connect)
                : new HttpResult(target, T0, new Dictionary<HttpPhase, TimeSpan>(), TimeSpan.FromSeconds(1), 200, 10, null);
        });
        var recorder = Substitute.For<IRecorder<HttpResult>>();
        var options = new HttpProbeOptions
        {
            Targets = { ["up"] = new HttpTargetOptions { Url = "http://192.0.2.1/" }, ["down"] = new HttpTargetOptions { Url = "http://192.0.2.2/" } },
        };

        var outcome = await Job(options, prober, recorder).RunAsync(TestContext.Current.CancellationToken);

        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.SkipReason);
        recorder.Received(2).Record(Arg.Any<HttpResult>());
    }

    [Fact]
    public async Task The_recorder_observes_each_finished_phase_and_counts_codes_and_reasons()
    {
        var registry = Metrics.NewCustomRegistry();
        var recorder = new HttpMetricsRecorder(Metrics.WithCustomRegistry(registry));
        var target = new HttpTarget("site", new Uri("https://example.test/"), false, []);
        var phases = new Dictionary<HttpPhase, TimeSpan>
        {
            [HttpPhase.Dns] = TimeSpan.FromMilliseconds(5),
            [HttpPhase.Connect] = TimeSpan.FromMilliseconds(10),
            [HttpPhase.Tls] = TimeSpan.FromMilliseconds(20),
            [HttpPhase.Processing] = TimeSpan.FromMilliseconds(40),
            [HttpPhase.Transfer] = TimeSpan.FromMilliseconds(80),
        };

        recorder.Record(new HttpResult(target, T0, phases, TimeSpan.FromMilliseconds(155), 200, 1234, null, Version: HttpConnection.Http2));
        recorder.Record(new HttpResult(target, T0, new Dictionary<HttpPhase, TimeSpan> { [HttpPhase.Dns] = TimeSpan.FromMilliseconds(5) },
            TimeSpan.FromSeconds(1), null, 0, HttpFailureReason.Tls, HttpPhase.Tls));

        var metrics = await LabFixture.ScrapeAsync(registry);
        Assert.Equal(0.040, metrics.Value("internet_monitor_http_duration_seconds_sum", ("target", "site"), ("phase", "processing"))!.Value, 9);
        Assert.Equal(2, metrics.Value("internet_monitor_http_duration_seconds_count", ("target", "site"), ("phase", "dns")));
        Assert.Equal(1, metrics.Value("internet_monitor_http_duration_seconds_count", ("target", "site"), ("phase", "tls")));
        Assert.Equal(1, metrics.Value("internet_monitor_http_requests_total", ("target", "site"), ("code", "200"), ("version", "2")));
        Assert.Equal(1, metrics.Value("internet_monitor_http_requests_total", ("target", "site"), ("code", "none"), ("version", "none")));
        Assert.Equal(1, metrics.Value("internet_monitor_http_failures_total", ("target", "site"), ("reason", "tls")));
        Assert.Equal(1234, metrics.Value("internet_monitor_http_response_size_bytes", ("target", "site")));
    }

    private static HttpJob Job(HttpProbeOptions options, IProber<HttpTarget, HttpResult> prober, params IRecorder<HttpResult>[] recorders) =>
        new(Options.Create(options), prober, new ResultPublisher<HttpResult>(recorders, NullLogger<ResultPublisher<HttpResult>>.Instance));
}
