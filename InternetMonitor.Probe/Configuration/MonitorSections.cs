namespace InternetMonitor.Probe.Configuration;

/// <summary>Stands for the <c>Monitor</c> section itself, so that its children can be validated at start.</summary>
public sealed class MonitorSections;
