using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;

namespace InternetMonitor.AppHost.Stack;

/// <summary>The stack's settings for this run, checked: its own, the receivers', the layout, and the command line.</summary>
public sealed record StackContext(StackOptions Options, AlertingOptions Alerting, StackLayout Layout, StackArguments Arguments)
{
    /// <summary>One line per part whose program is not on this host, said once the settings are checked.</summary>
    public List<string> Missing { get; } = [];

    /// <summary>The central machine's settings (<c>Central</c>), read by <c>publish --role central</c>.</summary>
    public CentralOptions Central { get; init; } = new();

    /// <summary>The token made for this run's alert log (container mode, none set), or null.</summary>
    public string? AlertLogToken { get; init; }
}
