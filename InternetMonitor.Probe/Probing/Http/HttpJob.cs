using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>Each run probes every target, in parallel.</summary>
public sealed class HttpJob(IOptions<HttpProbeOptions> options, IProber<HttpTarget, HttpResult> prober, ResultPublisher<HttpResult> publisher) : IScheduledJob
{
    private readonly HttpProbeOptions _options = options.Value;

    public string Name => "http";

    public bool Enabled => _options.Enabled;

    public JobSchedule Schedule => new(_options.Interval, _options.StartJitter);

    public IReadOnlyList<HttpTarget> Targets()
    {
        var configured = _options.Targets.Count > 0
            ? _options.Targets
            : HttpProbeOptions.DefaultTargets.ToDictionary(pair => pair.Key, pair => new HttpTargetOptions { Url = pair.Value });
        return [.. configured
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new HttpTarget(pair.Key, new Uri(pair.Value.Url), pair.Value.AllowInvalidCertificate, pair.Value.ExpectedStatus, pair.Value.CaFile))];
    }

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var results = await Task.WhenAll(Targets().Select(async target =>
        {
            var result = await prober.ProbeAsync(target, cancellationToken).ConfigureAwait(false);
            publisher.Publish(result);
            return result.Succeeded;
        })).ConfigureAwait(false);
        return JobOutcome.From(Array.TrueForAll(results, succeeded => succeeded));
    }
}
