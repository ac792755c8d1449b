using System.Globalization;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Logging;

public sealed class LoggingOptionsValidator : IValidateOptions<LoggingOptions>
{
    public ValidateOptionsResult Validate(string? name, LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(LoggingOptions.Section);
        errors.Range(nameof(options.RepeatEvery), options.RepeatEvery, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));

        // Below 1: a target that loses every echo must be able to cross it.
        if (!double.IsFinite(options.LossAbove) || options.LossAbove < 0 || options.LossAbove >= 1)
        {
            errors.Add(nameof(options.LossAbove), string.Create(CultureInfo.InvariantCulture, $"must be a ratio from 0 up to, not including, 1 (got {options.LossAbove})"));
        }

        return errors.Result();
    }
}
