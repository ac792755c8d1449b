using System.Net;
using System.Net.Sockets;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Integration;

/// <summary>The ICMP prober with real sockets against this machine's own loopback (127.0.0.0/8 and ::1).</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class IcmpProberTests : IDisposable
{
    private readonly IcmpProber _prober = new(
        Options.Create(new IcmpOptions { Timeout = TimeSpan.FromSeconds(2) }),
        TimeProvider.System,
        new ResultPublisher<LateReply>([], NullLogger<ResultPublisher<LateReply>>.Instance));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task An_echo_to_loopback_gets_a_reply_with_a_round_trip_time(string address)
    {
        Prerequisite.RequireRoot();
        var target = new PingTarget("lo", IPAddress.Parse(address), TargetRole.Public);
        _prober.Open([target.Address.AddressFamily]);

        var result = await _prober.ProbeAsync(target, TestContext.Current.CancellationToken);

        Assert.Equal(PingOutcome.Reply, result.Outcome);
        Assert.InRange(result.RoundTripTime!.Value, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task The_kernel_stamps_every_echo_as_it_leaves_and_its_reply_as_it_arrives(string address)
    {
        Prerequisite.RequireRoot();
        var target = new PingTarget("lo", IPAddress.Parse(address), TargetRole.Public);
        var channels = _prober.Open([target.Address.AddressFamily]);

        var results = new List<PingResult>();
        for (var i = 0; i < 20; i++)
        {
            results.Add(await _prober.ProbeAsync(target, TestContext.Current.CancellationToken));
        }

        Assert.Equal(IcmpTimestamps.Kernel, Assert.Single(channels).Timestamps);
        Assert.All(results, result => Assert.Equal(PingOutcome.Reply, result.Outcome));
        Assert.Equal(20, _prober.TransmitStamps);
        Assert.All(results, result => Assert.InRange(result.RoundTripTime!.Value, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Concurrent_echoes_to_many_targets_are_each_matched_to_their_own_reply()
    {
        Prerequisite.RequireRoot();
        var targets = Enumerable.Range(1, 20).Select(i => new PingTarget($"t{i}", IPAddress.Parse($"127.0.0.{i}"), TargetRole.Public)).ToList();
        _prober.Open([AddressFamily.InterNetwork]);

        var results = await Task.WhenAll(targets.SelectMany(target => Enumerable.Range(0, 5).Select(_ => _prober.ProbeAsync(target, TestContext.Current.CancellationToken))));

        Assert.All(results, result => Assert.Equal(PingOutcome.Reply, result.Outcome));
        foreach (var group in results.GroupBy(result => result.Target))
        {
            // Each target has its own sequence: five distinct numbers, each answered once.
            Assert.Equal(5, group.Select(result => result.Sequence).Distinct().Count());
        }
    }

    [Fact]
    public async Task An_address_family_without_a_channel_is_a_send_error_not_an_exception()
    {
        Prerequisite.RequireRoot();
        _prober.Open([AddressFamily.InterNetwork]);

        var result = await _prober.ProbeAsync(new PingTarget("v6", IPAddress.IPv6Loopback, TargetRole.Public), TestContext.Current.CancellationToken);

        Assert.Equal(PingOutcome.SendError, result.Outcome);
        Assert.Null(result.RoundTripTime);
    }

    public void Dispose() => _prober.Dispose();
}
