namespace InternetMonitor.AppHost.Stack;

/// <summary>What a machine of the deployment does (<c>--role</c> of <c>publish</c> and <c>render</c>; docs/sites.md).</summary>
public enum StackRole
{
    /// <summary>A site: the probe and its stack, measuring the line it sits on (the default).</summary>
    Site,

    /// <summary>The central machine outside the sites: the store they write to, the alerts for all of them, one Grafana.</summary>
    Central,
}
