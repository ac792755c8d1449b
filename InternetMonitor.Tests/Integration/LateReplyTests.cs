using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using InternetMonitor.Lab;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Targets;
using InternetMonitor.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Tests.Integration;

/// <summary>
/// Replies that come from a user-space responder after a known delay, in a namespace where the kernel does not
/// answer: a reply inside the timeout is a sample that holds the delay, one after it is late and never a sample.
/// </summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class LateReplyTests
{
    private static readonly PingTarget Target = new("lo", IPAddress.Loopback, TargetRole.Public);
    private readonly ConcurrentQueue<LateReply> _late = new();

    [Fact]
    public async Task A_reply_within_the_timeout_is_a_sample_that_holds_the_injected_delay()
    {
        await using var network = await QuietNamespaceAsync();
        using var responder = NamespaceThread.Run(network, () => new EchoResponder(IPAddress.Loopback, TimeSpan.FromMilliseconds(100)));
        using var prober = Prober(network, TimeSpan.FromSeconds(2));

        var result = await prober.ProbeAsync(Target, TestContext.Current.CancellationToken);

        Assert.Equal(PingOutcome.Reply, result.Outcome);
        Assert.True(result.RoundTripTime >= TimeSpan.FromMilliseconds(100), $"RTT {result.RoundTripTime} is shorter than the injected delay");
        Assert.Empty(_late);
    }

    [Fact]
    public async Task A_reply_after_the_timeout_is_a_late_reply_and_not_a_sample()
    {
        await using var network = await QuietNamespaceAsync();
        using var responder = NamespaceThread.Run(network, () => new EchoResponder(IPAddress.Loopback, TimeSpan.FromSeconds(1)));
        using var prober = Prober(network, TimeSpan.FromMilliseconds(100));

        var result = await prober.ProbeAsync(Target, TestContext.Current.CancellationToken);

        Assert.Equal(PingOutcome.Timeout, result.Outcome);
        Assert.Null(result.RoundTripTime);
        await Poll.UntilAsync(() => !_late.IsEmpty, "the late reply reaching the prober", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(20));

        var late = Assert.Single(_late);
        Assert.Equal(result.Sequence, late.Sequence);
        Assert.True(late.RoundTripTime >= TimeSpan.FromSeconds(1), $"late RTT {late.RoundTripTime}");

        // The responder counts a reply once its send returns, which the prober may beat to the reply itself.
        await Poll.UntilAsync(() => responder.Answered > 0, "the responder counting its reply", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, responder.Answered);
    }

    private static async Task<NetworkNamespace> QuietNamespaceAsync()
    {
        var network = await LabFixture.NamespaceAsync();
        await network.SysctlAsync("net.ipv4.icmp_echo_ignore_all", "1");
        return network;
    }

    private IcmpProber Prober(NetworkNamespace network, TimeSpan timeout)
    {
        var recorder = new CollectingRecorder(_late);
        var prober = new IcmpProber(
            Options.Create(new IcmpOptions { Timeout = timeout }),
            TimeProvider.System,
            new ResultPublisher<LateReply>([recorder], NullLogger<ResultPublisher<LateReply>>.Instance));
        NamespaceThread.Run(network, () => prober.Open([AddressFamily.InterNetwork]));
        return prober;
    }

    private sealed class CollectingRecorder(ConcurrentQueue<LateReply> into) : IRecorder<LateReply>
    {
        public void Record(LateReply result) => into.Enqueue(result);
    }
}
