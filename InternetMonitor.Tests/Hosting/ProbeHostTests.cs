using System.Net;
using System.Text;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Telemetry;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Hosting;

/// <summary>The whole probe, in process, on a loopback port (its echoes answered by a fake): the endpoints ServiceDefaults maps and the OTLP switch.</summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ProbeHostTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Health_alive_and_metrics_answer_while_the_probe_pings_loopback()
    {
        await using var app = await ProbeHost.StartAsync();
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(app) };

        var health = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var alive = await client.GetAsync(new Uri("/alive", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

        var metrics = await ProbeHost.WaitForMetricsAsync(app, text => text.Value("internet_monitor_up") == 1);
        Assert.Equal(1, metrics.Samples("internet_monitor_build_info").Single().Value);
        Assert.True(metrics.Value("internet_monitor_ping_packets_received_total", ("target", "lo")) >= 1);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Asking_for_help_exits_at_once_without_starting_to_measure(string argument)
    {
        // Were the probe to start, RunAsync would run until stopped and this would time out.
        // Loopback-only settings, so that a probe started by mistake would send nothing beyond this machine.
        var exitCode = await ProbeProgram.RunAsync([argument, .. ProbeHost.LoopbackArguments()]).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "loki:3100/otlp/v1/logs")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url")]
    [InlineData("INTERNET_MONITOR_LOGS_OTLP_ENDPOINT", "loki:3100/otlp/v1/logs")]
    public async Task An_otlp_endpoint_that_is_not_a_url_stops_the_start_with_the_variable_named(string variable, string value)
    {
        var exception = Assert.ThrowsAny<Exception>(() => ProbeProgram.Build([.. ProbeHost.LoopbackArguments(), $"--{variable}={value}"]));

        Assert.Equal($"{variable} must be an absolute http or https URL (got '{value}')", Probe.Configuration.ConfigurationErrorMessage.From(exception));
        Assert.Equal(ProbeProgram.ConfigurationErrorExitCode, await ProbeProgram.RunAsync([.. ProbeHost.LoopbackArguments(), $"--{variable}={value}"]).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Logs_and_traces_go_out_over_otlp_when_the_endpoint_is_set()
    {
        await using var receiver = await CaptureServer.StartAsync();
        receiver.Reply = ("application/x-protobuf", string.Empty);

        await using var app = await ProbeHost.StartAsync(
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={receiver.Url.ToString().TrimEnd('/')}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_BLRP_SCHEDULE_DELAY=100",
            "--OTEL_BSP_SCHEDULE_DELAY=100");

        var logs = await receiver.WaitForAsync(request => request.Path == "/v1/logs" && request.Contains("Pinging 1 targets"), Deadline, "an OTLP log export");
        Assert.True(logs.Contains("InternetMonitor.Probe"), "service.name is a resource attribute of the exported logs");
        Assert.True(logs.Contains("host.name"), "host.name is a resource attribute of the exported logs");
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Logs_go_to_loki_as_well_as_to_the_shared_endpoint_that_aspire_sets()
    {
        await using var dashboard = await CaptureServer.StartAsync();
        await using var loki = await CaptureServer.StartAsync();
        dashboard.Reply = loki.Reply = ("application/x-protobuf", string.Empty);

        await using var app = await ProbeHost.StartAsync(
            $"--OTEL_EXPORTER_OTLP_ENDPOINT={dashboard.Url.ToString().TrimEnd('/')}",
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            $"--INTERNET_MONITOR_LOGS_OTLP_ENDPOINT={new Uri(loki.Url, "/otlp/v1/logs")}",
            "--OTEL_BLRP_SCHEDULE_DELAY=100",
            "--OTEL_BSP_SCHEDULE_DELAY=100");

        var atLoki = await loki.WaitForAsync(request => request.Contains("Pinging 1 targets"), Deadline, "an OTLP log export at Loki's path");
        await dashboard.WaitForAsync(request => request.Path == "/v1/logs" && request.Contains("Pinging 1 targets"), Deadline, "the same log line at the shared endpoint");
        await dashboard.WaitForAsync(request => request.Path == "/v1/traces" && request.Contains("ping round"), Deadline, "the spans at the shared endpoint");
        await app.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("/otlp/v1/logs", atLoki.Path);
        Assert.All(loki.Requests, request => Assert.Equal("/otlp/v1/logs", request.Path)); // logs alone: Loki refuses traces and metrics
    }

    [Fact]
    public async Task Logs_go_to_their_own_endpoint_as_lokis_otlp_takes_them_and_traces_to_theirs()
    {
        await using var loki = await CaptureServer.StartAsync();
        await using var traces = await CaptureServer.StartAsync();
        loki.Reply = traces.Reply = ("application/x-protobuf", string.Empty);

        await using var app = await ProbeHost.StartAsync(
            $"--OTEL_EXPORTER_OTLP_LOGS_ENDPOINT={new Uri(loki.Url, "/otlp/v1/logs")}",
            $"--OTEL_EXPORTER_OTLP_TRACES_ENDPOINT={new Uri(traces.Url, "/v1/traces")}",
            "--OTEL_BLRP_SCHEDULE_DELAY=100",
            "--OTEL_BSP_SCHEDULE_DELAY=100",
            $"--{Microsoft.Extensions.Hosting.Extensions.SiteVariable}=office");

        var logs = await loki.WaitForAsync(request => request.Contains("Pinging 1 targets"), Deadline, "an OTLP log export at Loki's path");
        var spans = await traces.WaitForAsync(request => request.Contains("ping round"), Deadline, "an OTLP trace export");
        await app.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("/otlp/v1/logs", logs.Path);
        Assert.Equal("application/x-protobuf", logs.Headers["Content-Type"]);
        Assert.All(loki.Requests, request => Assert.Equal("/otlp/v1/logs", request.Path)); // no traces or metrics sent to Loki
        Assert.Equal("/v1/traces", spans.Path);
        Assert.All(traces.Requests, request => Assert.Equal("/v1/traces", request.Path));
        foreach (var (key, value) in new[] { ("service.name", ProbeProgram.ServiceName), ("service.version", BuildInfo.Version), ("host.name", Environment.MachineName), ("site", "office") })
        {
            Assert.True(HasAttribute(logs.Body, key, value), $"the exported logs carry the resource attribute {key}={value}");
        }
    }

    /// <summary>
    /// An OTLP KeyValue in protobuf: the key's bytes, then (after the value field's tag and length, and the string
    /// value's tag and length: four bytes for short strings) the value's bytes.
    /// </summary>
    private static bool HasAttribute(byte[] body, string key, string value)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        for (var at = body.AsSpan().IndexOf(keyBytes); at >= 0;)
        {
            var after = at + keyBytes.Length + 4;
            if (after + valueBytes.Length <= body.Length && body.AsSpan(after, valueBytes.Length).SequenceEqual(valueBytes))
            {
                return true;
            }

            var next = body.AsSpan(at + 1).IndexOf(keyBytes);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }
}
