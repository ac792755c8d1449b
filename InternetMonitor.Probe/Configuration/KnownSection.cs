namespace InternetMonitor.Probe.Configuration;

/// <summary>A section under <c>Monitor</c> that some feature binds to <paramref name="OptionsType"/>; any other key is a typo.</summary>
public sealed record KnownSection(string Name, Type OptionsType);
