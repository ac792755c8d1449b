namespace InternetMonitor.Probe.Telemetry;

/// <summary>
/// A metric family the probe writes itself, beside prometheus-net's registry: prometheus-net 8 offers no way to
/// add a collector of one's own, and a summary with exact quantiles over a window needs one.
/// </summary>
public interface IExposedFamily
{
    /// <summary>Writes the family, or nothing while it has no series, draining the writer between series.</summary>
    ValueTask WriteToAsync(ExpositionWriter writer, CancellationToken cancellationToken);
}
