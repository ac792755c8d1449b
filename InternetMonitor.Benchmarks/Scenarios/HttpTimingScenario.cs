using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// HTTP timing, phase by phase, against curl -w on the same link and servers: plain HTTP/1.1 from the lab's server
/// (50 ms of processing), HTTPS from nginx without and with HTTP/2, each by a name the lab's dnsmasq answers. The
/// probe and curl take turns (never both at once on 2 cores): the probe requests once a second with one target, its
/// first five requests left out (they pay for its JIT compilation), each request's phases read from its debug line;
/// then curl as many times.
/// </summary>
public sealed partial class HttpTimingScenario : IScenario
{
    private const int Requests = 30;
    private const int WarmUp = 5;
    private const string Domain = "lab.test";
    private static readonly TimeSpan Processing = TimeSpan.FromMilliseconds(50);
    private static readonly IPAddress NameServer = IPAddress.Parse("192.0.2.53");
    private static readonly IPAddress Plain = IPAddress.Parse("192.0.2.61");
    private static readonly IPAddress Tls = IPAddress.Parse("192.0.2.62");
    private static readonly IPAddress Tls2 = IPAddress.Parse("192.0.2.63");
    private static readonly string[] Phases = ["dns", "connect", "tls", "processing", "transfer"];

    public string Name => "http";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        await lab.StartResponderAsync(new Dictionary<IPAddress, EchoProfile> { [Plain] = EchoProfile.Immediate, [Tls] = EchoProfile.Immediate, [Tls2] = EchoProfile.Immediate });
        await lab.AddFarAddressAsync(NameServer);
        await using var names = await LabDnsmasq.StartAsync(lab.Far, NameServer, new Dictionary<string, IPAddress>
        {
            [$"plain.{Domain}"] = Plain,
            [$"h1.{Domain}"] = Tls,
            [$"h2.{Domain}"] = Tls2,
        });
        await lab.Near.UseNameServerAsync(NameServer);
        await using var plain = NamespaceThread.Run(lab.Far, () => new LabHttpServer(new HttpServerBehaviour { ProcessingDelay = Processing }, Plain, 8080));
        await using var http11 = await LabNginx.StartAsync(lab.Far, Tls, 8443, $"h1.{Domain}", http2: false);
        await using var http2 = await LabNginx.StartAsync(lab.Far, Tls2, 8443, $"h2.{Domain}", http2: true);
        (string Server, Uri Url, string? Authority)[] servers =
        [
            ($"lab server, plain HTTP ({Processing.TotalMilliseconds} ms processing)", new Uri($"http://plain.{Domain}:8080/probe"), null),
            ("nginx, HTTPS without h2", http11.Url, http11.AuthorityFile),
            ("nginx, HTTPS with h2", http2.Url, http2.AuthorityFile),
        ];

        var section = new ReportSection("6. HTTP timing", "Server", "Phase", "Probe (median)", "curl -w (median)", "Probe - curl", "Allowed", "Within");
        var (worstAbove, worstEither) = (double.NegativeInfinity, 0.0);
        var versions = new List<string>();
        foreach (var (server, url, authority) in servers)
        {
            var probed = await ProbeAsync(context, lab.Near, url, authority, cancellationToken);
            var curled = new List<CurlTiming>();
            var setUps = new List<double>();
            for (var i = 0; i < Requests; i++)
            {
                curled.Add(await Curl.TimeAsync(lab.Near, url, authority));
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                if (authority is not null)
                {
                    setUps.Add(await Curl.TlsSetUpAsync(lab.Near, url, authority) * 1000);
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }
            }

            versions.Add($"{server}: the probe spoke HTTP/{string.Join(", ", probed.Select(request => request.Version).Distinct())}, curl HTTP/{string.Join(", ", curled.Select(request => request.Version).Distinct())}");
            foreach (var phase in Phases)
            {
                var curl = curled.Select(request => Of(request, phase)).OfType<double>().Select(seconds => seconds * 1000).ToList();
                var probe = probed.Select(request => request.Phases.GetValueOrDefault(phase, double.NaN)).Where(double.IsFinite).ToList();
                if (curl.Count == 0 && probe.Count == 0)
                {
                    continue; // no tls over plain HTTP
                }

                // curl's tls from -w holds its own set-up before the ClientHello: the comparison is without it.
                var (probeMedian, curlMedian) = (Stats.Median(probe), Stats.Median(curl) - (phase == "tls" ? Stats.Median(setUps) : 0));
                var difference = probeMedian - curlMedian;
                var allowed = 0.2 + (0.02 * curlMedian);
                (worstAbove, worstEither) = (Math.Max(worstAbove, difference / allowed), Math.Max(worstEither, Math.Abs(difference) / allowed));
                var shown = phase == "tls" ? $"{F(curlMedian)} ms (-w {F(Stats.Median(curl))} ms less its set-up {F(Stats.Median(setUps))} ms)" : $"{F(curlMedian)} ms";
                section.Row(server, phase, $"{F(probeMedian)} ms", shown, $"{F(difference)} ms", $"{F(allowed)} ms", Math.Abs(difference) <= allowed ? "yes" : difference < 0 ? "no (below)" : "no");
            }
        }

        section.Note($"{Requests} requests each by curl and by the probe (after its first {WarmUp}), names resolved by the lab's dnsmasq on the far side (the near side's resolv.conf), a fresh connection each. The probe: one target at a time, `Monitor:Http:Interval` 1 s, HTTPS verified against the lab's CA (`Monitor:Http:Targets:NAME:CaFile`), each request's phases from its debug line (`HTTP NAME: status ... (dns ... ms, connect ... ms, ...)`). curl: `curl -w` with `--cacert` the same CA; dns = `time_namelookup`, connect = `time_connect` - `time_namelookup`, tls = `time_appconnect` - `time_connect`, processing = `time_starttransfer` - the end of the handshakes, transfer = `time_total` - `time_starttransfer`.");
        section.Note(string.Join("; ", versions) + ".");
        section.Note("tls: curl's `time_appconnect` - `time_connect` holds what curl does for every connection before it writes its ClientHello (it builds a new OpenSSL context), nothing of which is on the wire: the comparison is with the median of that figure less the median of that set-up, read from its `-v --trace-time` log (`Connected to` to `Client hello (1)`) in 30 runs of their own. The probe's tls holds its own set-up (its SslStream and what .NET makes of OpenSSL for it); it reads its CA file before its clock starts.");
        section.Note("dns: curl's threaded resolver starts a thread for every lookup inside `time_namelookup`; the probe's lookup runs on the thread that times the whole connection, started before its clock. Both ask the system resolver (getaddrinfo, A and AAAA).");
        section.Note("Allowed: 0.2 ms + 2 % of curl's median; \"no (below)\" marks a probe figure lower than curl's by more than that.");
        section.Target("HTTP: the probe adds at most 0.2 ms + 2 % to curl's figure, every phase on every server", worstAbove <= 1, $"the most it adds is {worstAbove:0.00} of its allowance");
        section.Target("HTTP: every phase within 0.2 ms + 2 % of curl's either way, on every server", worstEither <= 1, $"the largest difference is {worstEither:0.00} of its allowance");
        return section;
    }

    /// <summary>The probe's requests of one URL, after its warm-up, as its debug lines give them.</summary>
    private static async Task<IReadOnlyList<ProbedRequest>> ProbeAsync(BenchContext context, NetworkNamespace near, Uri url, string? authority, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>
        {
            ["Monitor__Http__Enabled"] = "true",
            ["Monitor__Http__Interval"] = "00:00:01",
            ["Monitor__Http__StartJitter"] = "00:00:00",
            ["Monitor__Http__Timeout"] = "00:00:00.9",
            ["Monitor__Http__Targets__lab__Url"] = url.ToString(),
            ["Logging__LogLevel__InternetMonitor.Probe.Probing.Http.HttpLogRecorder"] = "Debug",
        };
        if (authority is not null)
        {
            settings["Monitor__Http__Targets__lab__CaFile"] = authority;
        }

        await using var probe = await StartProbeAsync(context.ShippedProbe, near, new Dictionary<string, string> { ["server"] = Plain.ToString() }, settings);
        var requests = await Polling.UntilAsync(
            () => Task.FromResult<IReadOnlyList<ProbedRequest>>([.. Succeeded().Matches(probe.Log).Select(ProbedRequest.Parse)]),
            seen => seen.Count >= WarmUp + Requests, $"{WarmUp + Requests} successful HTTP probes of {url}", TimeSpan.FromSeconds(WarmUp + Requests + 60), TimeSpan.FromMilliseconds(500),
            cancellationToken: cancellationToken);
        return [.. requests.Skip(WarmUp).Take(Requests)];
    }

    private static double? Of(CurlTiming timing, string phase) => phase switch
    {
        "dns" => timing.Dns,
        "connect" => timing.Connect,
        "tls" => timing.Tls,
        "processing" => timing.Processing,
        _ => timing.Transfer,
    };

    private static string F(double milliseconds) => milliseconds.ToString("0.000", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"HTTP lab: status 200 over HTTP/(?<version>[\d.]+) in [\d.]+ ms \((?<phases>[^)]*)\)")]
    private static partial Regex Succeeded();

    /// <summary>One request as the probe logged it: its HTTP version and each phase in milliseconds.</summary>
    private sealed record ProbedRequest(string Version, IReadOnlyDictionary<string, double> Phases)
    {
        public static ProbedRequest Parse(Match line) => new(
            line.Groups["version"].Value,
            line.Groups["phases"].Value.Split(", ").Select(part => part.Split(' ')).ToDictionary(words => words[0], words => double.Parse(words[1], CultureInfo.InvariantCulture)));
    }
}
