using System.Net;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InternetMonitor.Tests.Probing.Icmp;

[Trait(Layer.Key, Layer.Unit)]
public sealed class PingHealthCheckTests
{
    private static readonly PingTarget Target = new("a", IPAddress.Loopback, TargetRole.Public);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly PingHealthCheck _check;

    public PingHealthCheckTests() =>
        _check = new PingHealthCheck(Options.Create(new IcmpOptions { Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2) }), _clock);

    [Fact]
    public async Task A_fresh_probe_is_healthy_while_it_starts() =>
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);

    [Fact]
    public async Task Lost_echoes_keep_the_probe_healthy_because_an_outage_is_data()
    {
        for (var i = 0; i < 60; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _check.Record(new PingResult(Target, (ushort)i, _clock.GetUtcNow(), PingOutcome.Timeout, null));
        }

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);
    }

    [Fact]
    public async Task No_completed_echo_for_longer_than_timeout_plus_three_intervals_is_unhealthy()
    {
        _check.Record(new PingResult(Target, 1, _clock.GetUtcNow(), PingOutcome.Reply, TimeSpan.FromMilliseconds(1)));
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);

        _clock.Advance(TimeSpan.FromSeconds(1));
        var result = await CheckAsync();

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("stalled", result.Description, StringComparison.Ordinal);
    }

    private Task<HealthCheckResult> CheckAsync() =>
        _check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
}
