using System.Net;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Targets;

public sealed partial class TargetOptionsValidator : IValidateOptions<TargetOptions>
{
    public ValidateOptionsResult Validate(string? name, TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(TargetOptions.Section);
        foreach (var (targetName, address) in options.Public)
        {
            var key = $"Public:{targetName}";
            if (!LabelValue.IsValid(targetName))
            {
                errors.Add(key, "has an invalid name: use letters, digits, '.', '-' and '_'");
            }
            else if (string.Equals(targetName, TargetResolver.GatewayName, StringComparison.Ordinal))
            {
                errors.Add(key, "uses the name 'gateway', which is kept for the detected gateway");
            }
            else if (!IPAddress.TryParse(address, out _))
            {
                errors.Add(key, $"must be an IPv4 or IPv6 address (got '{address}')");
            }
        }

        if (options.Gateway is not ("auto" or "none") && !IPAddress.TryParse(options.Gateway, out _))
        {
            errors.Add("Gateway", $"must be 'auto', 'none' or an IP address (got '{options.Gateway}')");
        }

        return errors.Result();
    }
}
