using System.Globalization;
using System.Net;
using InternetMonitor.Lab;
using InternetMonitor.Tests.Support;

namespace InternetMonitor.Tests.Integration;

/// <summary>The lab's rate shaping (tc tbf): a transfer across the shaped link is never faster than the rate.</summary>
[Trait(Layer.Key, Layer.Integration)]
public sealed class LabShapingTests
{
    [Fact]
    public async Task A_link_shaped_to_8_mbit_per_second_carries_no_more_than_that()
    {
        await using var lab = await LabFixture.NetworkAsync();
        Prerequisite.RequireProgram("curl", "curl");
        var server = IPAddress.Parse("192.0.2.80");
        await lab.AddFarAddressAsync(server);
        await using var http = NamespaceThread.Run(lab.Far, () => new LabHttpServer(new HttpServerBehaviour { BodyBytes = 2_000_000 }, server, 8080));

        await lab.ShapeAsync(8_000_000);

        var qdisc = await lab.Near.RunAsync("tc", "qdisc", "show", "dev", LabNetwork.Link);
        Assert.Contains("tbf", qdisc, StringComparison.Ordinal);
        Assert.Contains("rate 8Mbit", qdisc, StringComparison.Ordinal);
        var output = await lab.Near.RunAsync("curl", "-s", "-o", "/dev/null", "--max-time", "30", "-w", "%{size_download} %{speed_download}", http.Url.ToString());
        var parts = output.Trim().Split(' ');
        Assert.Equal(2_000_000, long.Parse(parts[0], CultureInfo.InvariantCulture));

        // A loaded machine can only make the transfer slower: the upper bound holds anywhere.
        Assert.InRange(double.Parse(parts[1], CultureInfo.InvariantCulture), 1, 1_000_000 * 1.1);
    }
}
