using System.Globalization;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Plan;

public sealed class PlanOptionsValidator : IValidateOptions<PlanOptions>
{
    public const double MaxMbps = 1_000_000;

    public ValidateOptionsResult Validate(string? name, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(PlanOptions.Section);
        foreach (var (key, value) in new[] { (nameof(options.DownloadMbps), options.DownloadMbps), (nameof(options.UploadMbps), options.UploadMbps) })
        {
            if (!double.IsFinite(value) || value < 0 || value > MaxMbps)
            {
                errors.Add(key, string.Create(CultureInfo.InvariantCulture, $"must be 0 (no plan) or a speed in Mbit/s up to {MaxMbps} (got {value})"));
            }
        }

        return errors.Result();
    }
}
