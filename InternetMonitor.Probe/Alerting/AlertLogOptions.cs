namespace InternetMonitor.Probe.Alerting;

/// <summary>
/// Bound from <c>Monitor:AlertLog</c>: the probe's own alert receiver, the webhook Alertmanager notifies
/// (<c>POST /api/alerts</c>) so that every notification is kept and readable (<c>GET /api/alerts</c>) even when no
/// other receiver is set up.
/// </summary>
public sealed class AlertLogOptions
{
    public const string Section = "AlertLog";

    /// <summary>How many received alerts are kept, newest first; older ones give way.</summary>
    public int Capacity { get; set; } = 1000;

    /// <summary>When set, Alertmanager must send it (<c>Authorization: Bearer ...</c>) to post notifications.</summary>
    public string Token { get; set; } = string.Empty;
}
