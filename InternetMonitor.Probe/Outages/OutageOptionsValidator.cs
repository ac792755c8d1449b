using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Outages;

public sealed class OutageOptionsValidator : IValidateOptions<OutageOptions>
{
    public ValidateOptionsResult Validate(string? name, OutageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(OutageOptions.Section);
        errors.Range(nameof(options.DownAfter), options.DownAfter, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        errors.Range(nameof(options.UpAfterReplies), options.UpAfterReplies, 1, 100);
        return errors.Result();
    }
}
