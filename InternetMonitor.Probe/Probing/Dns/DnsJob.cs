using InternetMonitor.Probe.Recording;
using InternetMonitor.Probe.Scheduling;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Dns;

/// <summary>Each run asks every server for every name: servers in parallel, one query at a time per server.</summary>
public sealed class DnsJob(IOptions<DnsOptions> options, IProber<DnsQuery, DnsResult> prober, ResultPublisher<DnsResult> publisher) : IScheduledJob
{
    private readonly DnsOptions _options = options.Value;

    public string Name => "dns";

    public bool Enabled => _options.Enabled;

    public JobSchedule Schedule => new(_options.Interval, _options.StartJitter);

    /// <summary>The queries of one run, grouped by server.</summary>
    public IEnumerable<IReadOnlyList<DnsQuery>> Queries()
    {
        var names = _options.Names.Count > 0 ? _options.Names : DnsOptions.DefaultNames;
        IEnumerable<KeyValuePair<string, string>> servers = _options.Servers.Count > 0 ? _options.Servers : DnsOptions.DefaultServers;
        var endpoints = servers
            .OrderBy(server => server.Key, StringComparer.Ordinal)
            .Select(server => (server.Key, Endpoint: DnsOptionsValidator.ParseEndpoint(server.Value)))
            .ToList();
        if (_options.SystemResolver)
        {
            endpoints.Insert(0, (DnsOptionsValidator.SystemServerName, null));
        }

        return endpoints.Select(server => (IReadOnlyList<DnsQuery>)[.. names.Select(name => new DnsQuery(server.Key, server.Endpoint, name, _options.RecordType))]);
    }

    public async Task<JobOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var outcomes = await Task.WhenAll(Queries().Select(server => AskAsync(server, cancellationToken))).ConfigureAwait(false);
        return JobOutcome.From(Array.TrueForAll(outcomes, succeeded => succeeded));
    }

    private async Task<bool> AskAsync(IReadOnlyList<DnsQuery> queries, CancellationToken cancellationToken)
    {
        var all = true;
        foreach (var query in queries)
        {
            var result = await prober.ProbeAsync(query, cancellationToken).ConfigureAwait(false);
            publisher.Publish(result);
            all &= result.Succeeded;
        }

        return all;
    }
}
