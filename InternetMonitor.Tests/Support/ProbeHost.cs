using InternetMonitor.Lab;
using InternetMonitor.Probe.Hosting;
using InternetMonitor.Probe.Probing.Icmp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InternetMonitor.Tests.Support;

/// <summary>What tests of the whole probe in process share: loopback-only arguments and the address it listens on.</summary>
public static class ProbeHost
{
    /// <summary>Where the probes of this test run keep their data folders, one each; gone when the run ends.</summary>
    private static readonly Lazy<string> Folders = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("im-probes-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });

    /// <summary>A data folder of its own for one probe of a test (not yet created: the probe creates it, owner-only).</summary>
    public static string DataDirectory() => Path.Combine(Folders.Value, $"{Guid.NewGuid():N}");

    /// <summary>
    /// A free loopback port, one target (127.0.0.1), no gateway, no DNS or HTTP job, a data folder of its own (its
    /// history and data budget there, never in the machine's /var/lib/internet-monitor).
    /// </summary>
    public static string[] LoopbackArguments() =>
    [
        "--urls=http://127.0.0.1:0",
        $"--Monitor:DataDirectory={DataDirectory()}",
        "--Monitor:Targets:Public:lo=127.0.0.1",
        "--Monitor:Targets:Gateway=none",
        "--Monitor:Icmp:Interval=00:00:00.2",

        // Each complete minute written at once, so that tests read a minute's row without waiting for a batch.
        "--Monitor:History:LatencyWriteEvery=00:00:00",

        // Their defaults are public servers: no test sends a packet beyond loopback.
        "--Monitor:Dns:Enabled=false",
        "--Monitor:Http:Enabled=false",
        "--Monitor:SpeedTest:Enabled=false",
    ];

    /// <summary>
    /// A speed test every 10 minutes, the first at once, against <paramref name="server"/> (a Cloudflare-compatible
    /// server: a probe serving speed tests, or the lab's) named <c>peer</c>, with small requests (100 kB, 1 MB) and a
    /// daily budget of 1 GB kept in <paramref name="budgetState"/>.
    /// </summary>
    public static string[] ScheduledSpeedTestArguments(Uri server, string budgetState) =>
    [
        "--Monitor:SpeedTest:Enabled=true",
        $"--Monitor:SpeedTest:Server={server}",
        "--Monitor:SpeedTest:Name=peer",
        "--Monitor:SpeedTest:StartJitter=00:00:00",
        "--Monitor:SpeedTest:Interval=00:10:00",
        "--Monitor:SpeedTest:RequestSizes:0=100000",
        "--Monitor:SpeedTest:RequestSizes:1=1000000",
        "--Monitor:SpeedTest:MaxBytes=8000000", // 4 MB a direction: the two sizes, no growth past them
        "--Monitor:SpeedTest:Budget:Daily=1000000000",
        $"--Monitor:SpeedTest:Budget:StatePath={budgetState}",
    ];

    /// <summary>
    /// <paramref name="arguments"/> (<c>--Monitor:A:B=value</c>, as <see cref="LoopbackArguments"/> gives them) as the
    /// environment of a probe process (<c>Monitor__A__B</c>), a later one over an earlier; other arguments (<c>--urls</c>)
    /// are left to the process.
    /// </summary>
    public static Dictionary<string, string> Environment(params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var argument in arguments.Where(argument => argument.StartsWith("--Monitor:", StringComparison.Ordinal)))
        {
            var (key, value) = (argument[2..argument.IndexOf('=', StringComparison.Ordinal)], argument[(argument.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return environment;
    }

    /// <summary>
    /// The whole probe in process with <see cref="LoopbackArguments"/> and <paramref name="arguments"/>, started, its echoes
    /// answered by a <see cref="FakePinger"/> (<see cref="Pinger"/>): no raw socket, no root.
    /// </summary>
    public static Task<WebApplication> StartAsync(params string[] arguments) => StartAsync(_ => { }, arguments);

    /// <summary>As <see cref="StartAsync(string[])"/>, with <paramref name="configure"/> applied to the builder (an in-memory exporter, say).</summary>
    public static Task<WebApplication> StartAsync(Action<WebApplicationBuilder> configure, params string[] arguments) =>
        StartAsync(new FakePinger(), configure, arguments);

    /// <summary>As <see cref="StartAsync(string[])"/>, its echoes answered by <paramref name="pinger"/> (round trips and losses set before the first echo).</summary>
    public static Task<WebApplication> StartAsync(FakePinger pinger, params string[] arguments) => StartAsync(pinger, _ => { }, arguments);

    private static Task<WebApplication> StartAsync(FakePinger pinger, Action<WebApplicationBuilder> configure, string[] arguments) =>
        BuildAndStartAsync(builder =>
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IPinger>(pinger));
            configure(builder);
        }, arguments);

    /// <summary>As <see cref="StartAsync(Action{WebApplicationBuilder}, string[])"/>, pinging with the real ICMP prober (it needs root).</summary>
    public static Task<WebApplication> StartWithIcmpAsync(Action<WebApplicationBuilder> configure, params string[] arguments)
    {
        Prerequisite.RequireRoot();
        return BuildAndStartAsync(configure, arguments);
    }

    /// <summary>The fake that answers the echoes of a probe started by <see cref="StartAsync(string[])"/>.</summary>
    public static FakePinger Pinger(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return (FakePinger)app.Services.GetRequiredService<IPinger>();
    }

    private static async Task<WebApplication> BuildAndStartAsync(Action<WebApplicationBuilder> configure, string[] arguments)
    {
        var app = ProbeProgram.Build([.. LoopbackArguments(), .. arguments], configure);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }

    public static Uri BaseAddress(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    /// <summary>What the probe's /metrics reads now.</summary>
    public static async Task<MetricsText> ScrapeAsync(WebApplication app)
    {
        using var client = new HttpClient();
        return await MetricsText.ScrapeAsync(client, new Uri(BaseAddress(app), "metrics"), TestContext.Current.CancellationToken);
    }

    /// <summary>Polls /metrics until <paramref name="condition"/> holds; fails with the last text after the deadline.</summary>
    public static Task<MetricsText> WaitForMetricsAsync(WebApplication app, Func<MetricsText, bool> condition, TimeSpan? deadline = null) =>
        Poll.UntilAsync(() => ScrapeAsync(app), condition, "the condition on /metrics", deadline);
}
