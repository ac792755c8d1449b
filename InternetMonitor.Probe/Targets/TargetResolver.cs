using System.Net;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Targets;

/// <summary>Resolves the configured targets: public anchors (defaults when none are set) and the gateway.</summary>
public sealed class TargetResolver(IOptions<TargetOptions> options, RouteTable routes)
{
    public const string GatewayName = "gateway";

    public IReadOnlyList<PingTarget> Resolve()
    {
        var settings = options.Value;
        IEnumerable<KeyValuePair<string, string>> configured = settings.Public;
        if (settings.Public.Count == 0)
        {
            configured = routes.HasIPv6DefaultRoute()
                ? TargetOptions.DefaultIPv4.Concat(TargetOptions.DefaultIPv6)
                : TargetOptions.DefaultIPv4;
        }

        var targets = configured
            .Select(pair => new PingTarget(pair.Key, IPAddress.Parse(pair.Value), TargetRole.Public))
            .OrderBy(target => target.Name, StringComparer.Ordinal)
            .ToList();

        var gateway = settings.Gateway switch
        {
            "none" => null,
            "auto" => routes.DefaultGatewayV4() ?? routes.DefaultGatewayV6(),
            var address => IPAddress.Parse(address),
        };
        if (gateway is not null)
        {
            targets.Add(new PingTarget(GatewayName, gateway, TargetRole.Gateway));
        }

        return targets;
    }
}
