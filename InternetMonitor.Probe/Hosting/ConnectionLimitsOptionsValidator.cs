using System.Globalization;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Hosting;

/// <summary>Checks <c>Monitor:Server</c> against the process's descriptor limit: the connections asked for must fit beside the reserve.</summary>
public sealed class ConnectionLimitsOptionsValidator(DescriptorLimit limit) : IValidateOptions<ConnectionLimitsOptions>
{
    public const int MaxLoopbackLimit = 10_000;

    public ValidateOptionsResult Validate(string? name, ConnectionLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(ConnectionLimitsOptions.Section);
        errors.Range(nameof(options.MaxConnections), options.MaxConnections, 0, int.MaxValue);
        errors.Range(nameof(options.MaxLoopbackConnections), options.MaxLoopbackConnections, 1, MaxLoopbackLimit);
        errors.Range(nameof(options.DescriptorReserve), options.DescriptorReserve, 0, int.MaxValue);
        errors.Range(nameof(options.RequestHeadersTimeout), options.RequestHeadersTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        errors.Range(nameof(options.KeepAliveTimeout), options.KeepAliveTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (options.MaxConnections < 0 || options.MaxLoopbackConnections is < 1 or > MaxLoopbackLimit || options.DescriptorReserve < 0)
        {
            return errors.Result();
        }

        var reserve = ConnectionBudget.ReserveFor(options, limit.OpenAtStart);
        var available = ConnectionBudget.Available(limit.Soft, reserve, options.MaxLoopbackConnections);
        var room = string.Create(CultureInfo.InvariantCulture,
            $"the descriptor limit {limit.Soft} less {reserve} kept for measuring, {options.MaxLoopbackConnections} for loopback clients and {ConnectionBudget.RefusalSlack} for refusals");
        if (available < 1)
        {
            errors.Add(nameof(options.MaxConnections), $"has no room: {room} leaves none (raise the limit: ulimit -n, systemd's LimitNOFILE, docker's --ulimit nofile)");
        }
        else if (options.MaxConnections > available)
        {
            errors.Add(nameof(options.MaxConnections), string.Create(CultureInfo.InvariantCulture,
                $"must be at most {available}, {room} (got {options.MaxConnections})"));
        }

        return errors.Result();
    }
}
