using System.Net;

namespace InternetMonitor.Probe.Targets;

/// <param name="Name">The <c>target</c> label: the configured name, "gateway" for the detected gateway.</param>
/// <param name="Address"></param>
/// <param name="Role"></param>
public sealed record PingTarget(string Name, IPAddress Address, TargetRole Role)
{
    public override string ToString() => $"{Name} ({Address})";
}
