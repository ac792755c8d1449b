namespace InternetMonitor.Tests.Support;

/// <summary>
/// The classes that share one <see cref="LiveStack"/> (the probe, its site's Prometheus, a second site and the central
/// machine): they run one after the other, beside the other collections, and the stack starts once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveStackCollection : ICollectionFixture<LiveStack>
{
    public const string Name = "live stack";
}
