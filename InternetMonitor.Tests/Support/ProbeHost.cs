using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace InternetMonitor.Tests.Support;

/// <summary>What tests of the whole probe in process share: loopback-only arguments and the address it listens on.</summary>
public static class ProbeHost
{
    /// <summary>A free loopback port, one target (127.0.0.1), no gateway, no DNS or HTTP job.</summary>
    public static string[] LoopbackArguments() =>
    [
        "--urls=http://127.0.0.1:0",
        "--Monitor:Targets:Public:lo=127.0.0.1",
        "--Monitor:Targets:Gateway=none",
        "--Monitor:Icmp:Interval=00:00:00.2",

        // Their defaults are public servers: no test sends a packet beyond loopback.
        "--Monitor:Dns:Enabled=false",
        "--Monitor:Http:Enabled=false",
        "--Monitor:SpeedTest:Enabled=false",
    ];

    public static Uri BaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }
}
