using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Alerting;

public sealed class AlertLogOptionsValidator : IValidateOptions<AlertLogOptions>
{
    public const int MaxCapacity = 100_000;

    public ValidateOptionsResult Validate(string? name, AlertLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(AlertLogOptions.Section);
        errors.Range(nameof(options.Capacity), options.Capacity, 1, MaxCapacity);
        if (options.Token.Any(char.IsWhiteSpace))
        {
            errors.Add(nameof(options.Token), "must not contain spaces");
        }

        return errors.Result();
    }
}
