using InternetMonitor.Probe.Probing.SpeedTest.Adapters;

namespace InternetMonitor.Probe.Probing.SpeedTest;

/// <summary>What one run measures against, within which limits; <see cref="Progress"/> hears of each step.</summary>
public sealed record SpeedTestPlan(ISpeedTestServer Server, SpeedTestLimits Limits, IProgress<SpeedTestProgress>? Progress = null);
