namespace InternetMonitor.Probe.Probing;

/// <summary>
/// One kind of measurement. A prober measures once and returns what it saw; it never throws for a
/// network fault (failure is a result with a reason) and never records anything itself: recorders do.
/// </summary>
/// <typeparam name="TTarget">What to measure: an address, a DNS query, a URL.</typeparam>
/// <typeparam name="TResult">The result record.</typeparam>
public interface IProber<in TTarget, TResult>
{
    Task<TResult> ProbeAsync(TTarget target, CancellationToken cancellationToken);
}
