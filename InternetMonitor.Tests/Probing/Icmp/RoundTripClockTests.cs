using System.Diagnostics;
using System.Net;
using InternetMonitor.Probe.Probing.Icmp;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Probing.Icmp;

/// <summary>
/// Which clock an RTT comes from: the kernel's wall-clock stamps while they agree with the monotonic clock around
/// them, the monotonic interval when the wall clock stepped between a send and its reply.
/// </summary>
[Trait(Layer.Key, Layer.Unit)]
public sealed class RoundTripClockTests
{
    private static readonly long Second = Stopwatch.Frequency;
    private static readonly long Wall = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc).Ticks - DateTime.UnixEpoch.Ticks;

    [Fact]
    public void The_kernel_stamps_give_the_rtt_when_they_lie_inside_the_monotonic_interval()
    {
        // Sent at the wall time W, left the host 30 us later, the reply stamped 20.03 ms after W; read 20.2 ms after the send.
        var sent = new IcmpSendStamp(Wall, 10 * Second);
        var receipt = Receipt(Wall + Ticks(20.03), (10 * Second) + (long)(0.0202 * Second));

        var rtt = IcmpProber.RoundTrip(sent, Wall + Ticks(0.03), receipt);

        Assert.Equal(TimeSpan.FromMilliseconds(20), rtt);
    }

    [Fact]
    public void Without_a_transmit_stamp_the_rtt_starts_at_the_wall_time_before_the_send()
    {
        var sent = new IcmpSendStamp(Wall, 10 * Second);
        var receipt = Receipt(Wall + Ticks(20), (10 * Second) + (long)(0.021 * Second));

        Assert.Equal(TimeSpan.FromMilliseconds(20), IcmpProber.RoundTrip(sent, transmitted: 0, receipt));
    }

    [Theory]
    [InlineData(365 * 24 * 3600.0)] // NTP answers a Pi that booted a year behind
    [InlineData(-3600.0)] // a clock set back an hour
    [InlineData(0.5)] // a small step forward, still far outside the interval
    public void A_wall_clock_step_between_send_and_reply_leaves_the_monotonic_interval(double stepSeconds)
    {
        var sent = new IcmpSendStamp(Wall, 10 * Second);
        var transmitted = Wall + Ticks(0.03);
        var receipt = Receipt(Wall + Ticks(20.03) + TimeSpan.FromSeconds(stepSeconds).Ticks, (10 * Second) + (long)(0.0202 * Second));

        var rtt = IcmpProber.RoundTrip(sent, transmitted, receipt);

        Assert.InRange(rtt, TimeSpan.FromMilliseconds(20.199), TimeSpan.FromMilliseconds(20.201));
    }

    [Fact]
    public void A_transmit_stamp_from_before_the_send_is_a_step_and_is_not_used()
    {
        // The wall clock went back an hour between reading it and the kernel stamping the packet.
        var sent = new IcmpSendStamp(Wall, 10 * Second);
        var receipt = Receipt(Wall + Ticks(20), (10 * Second) + (long)(0.021 * Second));

        var rtt = IcmpProber.RoundTrip(sent, Wall - TimeSpan.FromHours(1).Ticks, receipt);

        Assert.Equal(TimeSpan.FromMilliseconds(20), rtt);
    }

    private static IcmpReceipt Receipt(long wall, long monotonic) =>
        new(IPAddress.Loopback, new IcmpMessage(IcmpMessageKind.EchoReply, 1, 1, 0, null), wall, monotonic);

    private static long Ticks(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds).Ticks;
}
