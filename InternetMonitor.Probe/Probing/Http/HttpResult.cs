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
public sealed record HttpResult(
    HttpTarget Target,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<HttpPhase, TimeSpan> Phases,
    TimeSpan Total,
    int? StatusCode,
    long BodyBytes,
    string? Reason,
    HttpPhase? FailedIn = null,
    string? Detail = null)
{
    public bool Succeeded => Reason is null;
}
