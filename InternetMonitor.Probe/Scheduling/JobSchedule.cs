namespace InternetMonitor.Probe.Scheduling;

/// <param name="Interval">Time between the starts of two runs.</param>
/// <param name="StartJitter">The first run starts after a random delay in [0, StartJitter), so that probes
/// started together (many sites, a restart of the stack) do not measure in lockstep.</param>
public sealed record JobSchedule(TimeSpan Interval, TimeSpan StartJitter);
