namespace InternetMonitor.AppHost.Hosting;

/// <summary>A resource's run-time state at one moment, read whole: what the dashboard and the table of URLs show.</summary>
/// <param name="State">Where it is in its life.</param>
/// <param name="Healthy">Whether its health check answered the last time it was asked; null before the first answer.</param>
/// <param name="ProcessId">Its process while one runs.</param>
/// <param name="Restarts">How often it was started again after an exit.</param>
/// <param name="ExitCode">How its last process ended, if one has.</param>
public sealed record ResourceSnapshot(ResourceState State, bool? Healthy, int? ProcessId, int Restarts, int? ExitCode);
