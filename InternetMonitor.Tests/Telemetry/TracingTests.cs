using System.Collections.ObjectModel;
using System.Diagnostics;
using InternetMonitor.Probe.Telemetry;
using InternetMonitor.Tests.Probing.SpeedTest;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace InternetMonitor.Tests.Telemetry;

/// <summary>
/// The probe's spans, caught by OpenTelemetry's in-memory exporter while it measures real peers on loopback: a ping
/// round, and one span per run of the DNS, HTTP and speed-test jobs with a child per measurement holding its figures.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class TracingTests
{
    private const string Prefix = ProbeTracing.Prefix;

    /// <summary>The name this test gives its DNS server, HTTP target, speed-test server and a ping target.</summary>
    private const string Own = "tracing-test";

    [Fact]
    public async Task Every_job_run_is_a_span_and_each_measurement_a_child_with_its_figures()
    {
        var spans = new LockedCollection<Activity>();
        await using var dns = UdpDnsResponder.WithResponseCode(2); // SERVFAIL: a failed query, and so a failed run
        await using var web = await CaptureServer.StartAsync();
        await using var server = await SpeedTestServerTypeTests.StartServingProbeAsync();
        var state = Path.Combine(Directory.CreateTempSubdirectory("im-budget-").FullName, "budget.json");
        await using var probe = await ProbeHost.StartAsync(
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)),
            [
                "--Monitor:Dns:Enabled=true",
                "--Monitor:Dns:SystemResolver=false",
                $"--Monitor:Dns:Servers:{Own}={dns.Endpoint}",
                "--Monitor:Dns:Names:0=example.test",
                "--Monitor:Dns:Interval=00:00:01",
                "--Monitor:Dns:Timeout=00:00:00.5",
                "--Monitor:Dns:StartJitter=00:00:00",
                "--Monitor:Http:Enabled=true",
                $"--Monitor:Http:Targets:{Own}:Url={web.Url}",
                "--Monitor:Http:Interval=00:00:05",
                "--Monitor:Http:Timeout=00:00:02",
                "--Monitor:Http:StartJitter=00:00:00",
                .. ProbeHost.ScheduledSpeedTestArguments(ProbeHost.BaseAddress(server), state),
                $"--Monitor:SpeedTest:Name={Own}",
                $"--Monitor:Targets:Public:{Own}=127.0.0.1",
            ]);

        // The probe's ActivitySource is one per process: every probe that other tests run here reports to this exporter
        // too. This probe's spans are told apart by the names it alone uses.
        var round = await WaitForSpanAsync(spans, span => span.OperationName == "ping round" && span.Events.Any(echo => Tag(echo, "ping.target") == Own));
        var query = await WaitForSpanAsync(spans, span => span.OperationName == "dns query" && (string?)span.GetTagItem(Prefix + "dns.server") == Own);
        var check = await WaitForSpanAsync(spans, span => span.OperationName == "http check" && (string?)span.GetTagItem(Prefix + "http.target") == Own);
        var speed = await WaitForSpanAsync(spans, span => span.OperationName == "speedtest" && (string?)span.GetTagItem(Prefix + "speedtest.server") == Own);
        await probe.StopAsync(TestContext.Current.CancellationToken);
        var all = spans.Snapshot();
        var dnsRun = Assert.Single(all, span => span.SpanId == query.ParentSpanId);
        var httpRun = Assert.Single(all, span => span.SpanId == check.ParentSpanId);
        var speedRun = Assert.Single(all, span => span.SpanId == speed.ParentSpanId);

        Assert.Equal(2, round.GetTagItem(Prefix + "ping.sent")); // lo and this test's own name, both 127.0.0.1
        Assert.Equal(2, round.GetTagItem(Prefix + "ping.received"));
        Assert.True((double)round.GetTagItem(Prefix + "ping.rtt_max_seconds")! > 0);
        Assert.Equal(["lo", Own], round.Events.Select(echo => Tag(echo, "ping.target")).Order(StringComparer.Ordinal));
        Assert.All(round.Events, echo => Assert.Equal("reply", Tag(echo, "ping.outcome")));

        Assert.Equal("dns run", dnsRun.OperationName);
        Assert.Equal("failure", dnsRun.GetTagItem(Prefix + "outcome"));
        Assert.Equal(ActivityStatusCode.Error, dnsRun.Status);
        Assert.Single(all, span => span.OperationName == "dns query" && span.ParentSpanId == dnsRun.SpanId);
        Assert.Equal(dnsRun.TraceId, query.TraceId);
        Assert.Equal("example.test", query.GetTagItem(Prefix + "dns.name"));
        Assert.Equal("SERVFAIL", query.GetTagItem(Prefix + "dns.rcode"));
        Assert.Equal("servfail", query.GetTagItem(Prefix + "failure.reason"));
        Assert.Equal(ActivityStatusCode.Error, query.Status);
        Assert.Equal((double)query.GetTagItem(Prefix + "dns.duration_seconds")!, query.Duration.TotalSeconds, 3);

        Assert.Equal("http run", httpRun.OperationName);
        Assert.Equal("success", httpRun.GetTagItem(Prefix + "outcome"));
        Assert.Single(all, span => span.OperationName == "http check" && span.ParentSpanId == httpRun.SpanId);
        Assert.Equal(200, check.GetTagItem("http.response.status_code"));
        Assert.True((double)check.GetTagItem(Prefix + "http.phase.connect_seconds")! > 0);
        Assert.Equal(2L, check.GetTagItem(Prefix + "http.body_bytes"));

        Assert.Equal("speedtest run", speedRun.OperationName);
        Assert.Equal("success", speedRun.GetTagItem(Prefix + "outcome"));
        Assert.True((double)speed.GetTagItem(Prefix + "speedtest.download.bytes_per_second")! > 0);
        Assert.True((double)speed.GetTagItem(Prefix + "speedtest.upload.bytes_per_second")! > 0);
        Assert.True((long)speed.GetTagItem(Prefix + "speedtest.download.bytes")! >= 100_000);
        Assert.NotNull(speed.GetTagItem(Prefix + "speedtest.idle.latency_seconds"));
        Directory.Delete(Path.GetDirectoryName(state)!, recursive: true);
    }

    private static async Task<Activity> WaitForSpanAsync(LockedCollection<Activity> spans, Func<Activity, bool> match)
    {
        var found = await Poll.UntilAsync(
            () => Task.FromResult(spans.Snapshot()),
            snapshot => snapshot.Any(match),
            "such a span",
            TimeSpan.FromSeconds(60));
        return found.First(match);
    }

    private static string? Tag(ActivityEvent echo, string name) => echo.Tags.FirstOrDefault(tag => tag.Key == Prefix + name).Value as string;

    /// <summary>The exporter adds from the threads that end spans while the test reads: every access takes a lock.</summary>
    private sealed class LockedCollection<T> : Collection<T>
    {
        private readonly Lock _lock = new();

        public IReadOnlyList<T> Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, T item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
