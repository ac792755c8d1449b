namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// What the AppHost's command line (<see cref="StackCommandLine"/>) asks of a run or a publish: the mode, the compose
/// project's folder and runtime, the <c>--Section:Key=value</c> settings, and Aspire's own switches, let through as
/// they are (<c>aspire publish</c> passes <c>--operation publish --step publish --output-path DIR</c> itself).
/// </summary>
public sealed record StackArguments(StackMode Mode, bool Publish, string? Output, string Runtime, IReadOnlyList<string> Settings, IReadOnlyList<string> Aspire)
{
    /// <summary>The sections the AppHost reads: its own, the receivers', the central machine's, and the probe's (passed on).</summary>
    public static IReadOnlyList<string> KnownSections { get; } = [StackOptions.Section, "Alerting", "Central", "Monitor"];

    /// <summary>A site's stack (the default) or the central machine's (<c>publish --role central</c>).</summary>
    public StackRole Role { get; init; } = StackRole.Site;

    /// <summary>What Aspire's builder is given: the settings, and for a publish the pipeline's step and output folder.</summary>
    public string[] ForAspire() => Publish && Output is not null && !Aspire.Contains("--operation")
        ? ["--operation", "publish", "--step", "publish", "--output-path", Path.GetFullPath(Output), .. Aspire, .. Settings]
        : [.. Aspire, .. Settings];
}
