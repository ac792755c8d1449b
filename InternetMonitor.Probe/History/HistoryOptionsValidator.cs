using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.History;

public sealed class HistoryOptionsValidator : IValidateOptions<HistoryOptions>
{
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxRetention = TimeSpan.FromDays(3660);
    public const int MaxConcurrentReads = 64;
    public static readonly TimeSpan MaxLatencyWriteEvery = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(HistoryOptions.Section);
        if (options.Enabled && string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add(nameof(options.Path), "must name the database file (or set Enabled to false)");
        }

        if (options.Retention < MinRetention || options.Retention > MaxRetention)
        {
            errors.Add(nameof(options.Retention), $"must be between {MinRetention.TotalDays:0} and {MaxRetention.TotalDays:0} days (got {options.Retention})");
        }

        if (options.LatencyWriteEvery < TimeSpan.Zero || options.LatencyWriteEvery > MaxLatencyWriteEvery)
        {
            errors.Add(nameof(options.LatencyWriteEvery), $"must be between 00:00:00 (each minute at once) and {MaxLatencyWriteEvery} (got {options.LatencyWriteEvery})");
        }

        errors.Range(nameof(options.MaxConcurrentReads), options.MaxConcurrentReads, 1, MaxConcurrentReads);
        return errors.Result();
    }
}
