namespace InternetMonitor.Tests.Support;

/// <summary>
/// Tests whose figures come from pacing in real time (a server paced per connection): they run after the others,
/// one class at a time, so that the heavy tests running in parallel (whole stacks, a browser) cannot starve them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Alone
{
    public const string Name = "alone";
}
