using System.Globalization;

namespace InternetMonitor.Probe.Probing.Http;

/// <summary>One probe of one URL.</summary>
/// <param name="Target"></param>
/// <param name="Timestamp"></param>
/// <param name="Phases">The duration of each phase that completed; a failed probe has the phases before its failure.</param>
/// <param name="Total"></param>
/// <param name="StatusCode">Null when no response came.</param>
/// <param name="BodyBytes"></param>
/// <param name="Reason">Null on success; else an <see cref="HttpFailureReason"/>.</param>
/// <param name="FailedIn">The phase the failure happened in, if any.</param>
/// <param name="Detail"></param>
/// <param name="Version">The HTTP version of the response ("1.1" or "2"); null when no response came.</param>
public sealed record HttpResult(
    HttpTarget Target,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<HttpPhase, TimeSpan> Phases,
    TimeSpan Total,
    int? StatusCode,
    long BodyBytes,
    string? Reason,
    HttpPhase? FailedIn = null,
    string? Detail = null,
    string? Version = null)
{
    public bool Succeeded => Reason is null;

    /// <summary>Each finished phase and its duration, in order: "dns 0.012 ms, connect 0.204 ms, ...".</summary>
    public string PhaseSummary() => string.Join(", ", Phases.OrderBy(pair => pair.Key).Select(pair =>
        string.Create(CultureInfo.InvariantCulture, $"{pair.Key.ToString().ToLowerInvariant()} {pair.Value.TotalMilliseconds:0.000} ms")));
}
