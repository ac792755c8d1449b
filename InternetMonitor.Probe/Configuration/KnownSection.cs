using System.Diagnostics.CodeAnalysis;

namespace InternetMonitor.Probe.Configuration;

/// <summary>A section under <c>Monitor</c> that some feature binds to <paramref name="optionsType"/>; any other key is a typo.</summary>
public sealed class KnownSection(string name, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type optionsType)
{
    public string Name { get; } = name;

    [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)]
    public Type OptionsType { get; } = optionsType;
}
