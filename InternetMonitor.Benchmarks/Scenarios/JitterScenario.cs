using System.Globalization;
using System.Net;
using InternetMonitor.Benchmarks.Measuring;
using InternetMonitor.Benchmarks.Peers;
using InternetMonitor.Benchmarks.Report;
using InternetMonitor.Lab;
using static InternetMonitor.Benchmarks.Scenarios.BenchContext;

namespace InternetMonitor.Benchmarks.Scenarios;

/// <summary>
/// Jitter: two far addresses answer after 20 ms give or take 5 ms, and 50 ms give or take 20 ms, uniformly.
/// The probe's jitter gauge (RFC 3550 estimator over consecutive RTTs) is read once a second for 30 s and
/// averaged; the same estimator is run over fping's RTTs from the same 30 s. For independent uniform delays
/// of width w the estimator converges to E|X - Y| = w / 3.
/// </summary>
public sealed class JitterScenario : IScenario
{
    private const int Count = 300;
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private static readonly (double Delay, double Jitter)[] Profiles = [(20, 5), (50, 20)];

    public string Name => "jitter";

    public async Task<ReportSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var lab = await LabNetwork.CreateAsync();
        var addresses = FarAddresses(31, Profiles.Length);
        var profiles = new Dictionary<IPAddress, EchoProfile>();
        var names = new Dictionary<string, string>();
        for (var i = 0; i < addresses.Count; i++)
        {
            profiles[addresses[i]] = new EchoProfile(TimeSpan.FromMilliseconds(Profiles[i].Delay), TimeSpan.FromMilliseconds(Profiles[i].Jitter));
            names[$"j{i}"] = addresses[i].ToString();
        }

        await lab.StartResponderAsync(profiles, seed: 9);
        await using var probe = await context.StartProbeAsync(lab.Near, names, new Dictionary<string, string>
        {
            ["Monitor__Icmp__Interval"] = "00:00:00.1",
            ["Monitor__Icmp__Timeout"] = "00:00:01",
        });
        await Task.Delay(TimeSpan.FromSeconds(10), cancellationToken);

        var peer = Fping.RttsAsync(lab.Near, addresses, Count, Period, cancellationToken);
        var readings = names.Keys.ToDictionary(name => name, _ => new List<double>());
        while (!peer.IsCompleted)
        {
            var metrics = await probe.TryMetricsAsync();
            foreach (var name in names.Keys)
            {
                if (metrics?.Value("internet_monitor_ping_jitter_seconds", ("target", name)) is { } jitter)
                {
                    readings[name].Add(jitter * 1000);
                }
            }

            await Task.WhenAny(peer, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken));
        }

        var fping = await peer;
        var section = new ReportSection("3. Jitter", "Injected", "Expected (w / 3)", "Probe jitter", "Probe error", "fping RTTs, same estimator", "fping error");
        var allMet = true;
        for (var i = 0; i < addresses.Count; i++)
        {
            var expected = 2 * Profiles[i].Jitter / 3;
            var probe30 = readings[$"j{i}"].Average();
            var rtts = fping.TryGetValue(addresses[i], out var values) ? values.OfType<double>().ToArray() : [];
            var estimates = Stats.Rfc3550(rtts);
            var peerJitter = estimates.Skip(50).DefaultIfEmpty(double.NaN).Average(); // past the estimator's warm-up
            allMet &= Math.Abs(probe30 - expected) <= 0.1 * expected;
            section.Row(
                $"{Profiles[i].Delay} ms ± {Profiles[i].Jitter} ms uniform",
                $"{expected.ToString("0.000", CultureInfo.InvariantCulture)} ms",
                $"{probe30.ToString("0.000", CultureInfo.InvariantCulture)} ms",
                $"{Math.Abs(probe30 - expected).ToString("0.000", CultureInfo.InvariantCulture)} ms",
                $"{peerJitter.ToString("0.000", CultureInfo.InvariantCulture)} ms",
                $"{Math.Abs(peerJitter - expected).ToString("0.000", CultureInfo.InvariantCulture)} ms");
        }

        section.Note("Definition (the probe's, docs/measurements.md): RFC 3550 section 6.4.1 interarrival jitter applied to RTTs: J += (|D| - J) / 16, D the difference between consecutive replies' RTTs; `internet_monitor_ping_jitter_seconds` is J after the latest reply.");
        section.Note($"Probe: 10 echoes a second, the gauge read once a second over fping's 30 s and averaged ({readings.Values.Min(list => list.Count)} readings). A single reading scatters around the mean by about a sixth of w / 3 (the estimator averages about 30 differences).");
        section.Target("Jitter: the probe's mean reading within 10 % of w / 3", allMet, "see table 3");
        return section;
    }
}
