namespace InternetMonitor.Probe.Targets;

/// <summary>The targets resolved once at start: what the ICMP job pings and the outage detector judges.</summary>
public sealed class MonitoredTargets(TargetResolver resolver)
{
    private readonly Lazy<IReadOnlyList<PingTarget>> _all = new(resolver.Resolve);

    public IReadOnlyList<PingTarget> All => _all.Value;

    public IEnumerable<PingTarget> Public => All.Where(target => target.Role == TargetRole.Public);

    public PingTarget? Gateway => All.FirstOrDefault(target => target.Role == TargetRole.Gateway);
}
