using System.Net;
using System.Text.Json;
using InternetMonitor.Tests.Support;
using Microsoft.AspNetCore.Builder;

namespace InternetMonitor.Tests.Outages;

/// <summary>
/// The whole probe in process fed known echoes (<see cref="FakePinger"/>): the round trips it reports are the ones
/// answered, and public anchors that lose every echo while the router answers are the provider's outage, then its end.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class ConnectivityInProcessTests
{
    private static readonly IPAddress Anchor = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Router = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task Known_round_trips_are_reported_and_anchors_losing_every_echo_are_an_internet_outage_until_they_answer()
    {
        var pinger = new FakePinger();
        pinger.Answer(IPAddress.Loopback, TimeSpan.FromMilliseconds(30));
        pinger.Answer(Anchor, TimeSpan.FromMilliseconds(30));
        await using var probe = await ProbeHost.StartAsync(pinger,
            $"--Monitor:Targets:Public:a={Anchor}", $"--Monitor:Targets:Gateway={Router}", "--Monitor:Outage:DownAfter=00:00:01");

        var up = await ProbeHost.WaitForMetricsAsync(probe, m => m.Value("internet_monitor_up") == 1 && m.Value("internet_monitor_ping_latency_seconds_count", ("target", "a")) >= 5);
        Assert.Equal(0.030, up.Value("internet_monitor_ping_latency_seconds_sum", ("target", "a"))!.Value / up.Value("internet_monitor_ping_latency_seconds_count", ("target", "a"))!.Value, 9);
        Assert.Equal("up", await StateAsync(probe));

        pinger.Lose(IPAddress.Loopback);
        pinger.Lose(Anchor);
        var down = await ProbeHost.WaitForMetricsAsync(probe, m => m.Value("internet_monitor_up") == 0);
        Assert.Equal(1, down.Value("internet_monitor_outage_active", ("cause", "internet")));
        Assert.Equal(1, down.Value("internet_monitor_gateway_up"));
        Assert.Equal("down", await StateAsync(probe));

        pinger.Answer(IPAddress.Loopback, TimeSpan.FromMilliseconds(30));
        pinger.Answer(Anchor, TimeSpan.FromMilliseconds(30));
        var again = await ProbeHost.WaitForMetricsAsync(probe, m => m.Value("internet_monitor_up") == 1);
        Assert.Equal(1, again.Value("internet_monitor_outages_total", ("cause", "internet")));
        Assert.Equal(0, again.Value("internet_monitor_outage_active", ("cause", "internet")));
        Assert.True(again.Value("internet_monitor_ping_packets_received_total", ("target", "a")) < again.Value("internet_monitor_ping_packets_sent_total", ("target", "a")), "the lost echoes are counted");
    }

    private static async Task<string?> StateAsync(WebApplication probe)
    {
        using var client = new HttpClient { BaseAddress = ProbeHost.BaseAddress(probe) };
        using var status = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/status", UriKind.Relative), TestContext.Current.CancellationToken));
        return status.RootElement.GetProperty("state").GetString();
    }
}
