using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest.Server;

public sealed class SpeedTestServerOptionsValidator : IValidateOptions<SpeedTestServerOptions>
{
    public const long MaxBytesLimit = 1L << 30;

    public ValidateOptionsResult Validate(string? name, SpeedTestServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(SpeedTestServerOptions.Section);
        if (options.MaxBytes is < 1 or > MaxBytesLimit)
        {
            errors.Add(nameof(options.MaxBytes), $"must be between 1 and {MaxBytesLimit} (got {options.MaxBytes})");
        }

        if (options.Token.Any(char.IsWhiteSpace))
        {
            errors.Add(nameof(options.Token), "must not contain spaces");
        }

        return errors.Result();
    }
}
