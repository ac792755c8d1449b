using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Icmp;

public sealed class IcmpOptionsValidator : IValidateOptions<IcmpOptions>
{
    public ValidateOptionsResult Validate(string? name, IcmpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(IcmpOptions.Section);
        errors.Range(nameof(options.Interval), options.Interval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        errors.Range(nameof(options.Timeout), options.Timeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));
        errors.Range(nameof(options.PayloadSize), options.PayloadSize, IcmpPacket.MinimumPayload, 65_000);
        errors.Range(nameof(options.StatisticsWindow), options.StatisticsWindow, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));
        if (!Enum.IsDefined(options.SocketKind))
        {
            errors.Add(nameof(options.SocketKind), $"must be Auto, Raw or Datagram (got '{options.SocketKind}')");
        }

        return errors.Result();
    }
}
