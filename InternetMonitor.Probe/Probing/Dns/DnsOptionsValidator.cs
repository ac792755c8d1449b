using System.Net;
using System.Text.RegularExpressions;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Dns;

public sealed partial class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    public const string SystemServerName = "system";

    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(DnsOptions.Section);
        errors.Schedule(options.Interval, options.StartJitter, options.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

        for (var i = 0; i < options.Names.Count; i++)
        {
            if (!IsDnsName(options.Names[i]))
            {
                errors.Add($"Names:{i}", $"must be a DNS name such as example.com (got '{options.Names[i]}')");
            }
        }

        foreach (var (server, address) in options.Servers)
        {
            var key = $"Servers:{server}";
            if (!LabelValue.IsValid(server))
            {
                errors.Add(key, "has an invalid name: use letters, digits, '.', '-' and '_'");
            }
            else if (string.Equals(server, SystemServerName, StringComparison.Ordinal))
            {
                errors.Add(key, "uses the name 'system', which is kept for the system resolver (Monitor:Dns:SystemResolver)");
            }
            else if (ParseEndpoint(address) is null)
            {
                errors.Add(key, $"must be an IP address with an optional port, such as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53 (got '{address}')");
            }
        }

        return errors.Result();
    }

    /// <summary>"192.0.2.1", "192.0.2.1:5353", "2001:db8::1" or "[2001:db8::1]:5353"; port 53 when none is given.</summary>
    public static IPEndPoint? ParseEndpoint(string? text)
    {
        if (IPAddress.TryParse(text, out var bare))
        {
            return new IPEndPoint(bare, 53);
        }

        return IPEndPoint.TryParse(text ?? string.Empty, out var endpoint) && endpoint.Port != 0 ? endpoint : null;
    }

    public static bool IsDnsName(string? name) => name is { Length: > 0 and <= 253 } && DnsName().IsMatch(name);

    [GeneratedRegex(@"^(?=.*[A-Za-z])([A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsName();
}
