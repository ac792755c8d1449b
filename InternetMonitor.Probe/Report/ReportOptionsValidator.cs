using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Report;

/// <summary>A time zone this system knows (its tz database), named by its IANA id.</summary>
public sealed class ReportOptionsValidator : IValidateOptions<ReportOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(ReportOptions.Section);
        if (options.TimeZone.Length > 0)
        {
            try
            {
                _ = TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
            }
            catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                errors.Add(nameof(options.TimeZone), $"must be an IANA time zone this system knows, such as Europe/Berlin or America/New_York (got '{options.TimeZone}'; is the tzdata package installed?)");
            }
        }

        return errors.Result();
    }
}
