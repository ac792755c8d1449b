using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.Probing.SpeedTest.Adapters;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.SpeedTest;

public sealed class SpeedTestOptionsValidator : IValidateOptions<SpeedTestOptions>
{
    public const int StreamLimit = 16;
    public const long RequestSizeLimit = 1L << 30;

    public ValidateOptionsResult Validate(string? name, SpeedTestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(SpeedTestOptions.Section);
        errors.Range(nameof(options.Interval), options.Interval, TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        errors.Range(nameof(options.StartJitter), options.StartJitter, TimeSpan.Zero, options.Interval);
        CheckServer(errors, options);
        errors.Range(nameof(options.Streams), options.Streams, 0, StreamLimit);
        errors.Range(nameof(options.MaxStreams), options.MaxStreams, 1, StreamLimit);
        if (options.Streams > options.MaxStreams)
        {
            errors.Add(nameof(options.Streams), $"must not be more than {errors.Key(nameof(options.MaxStreams))} ({options.Streams} > {options.MaxStreams})");
        }

        errors.Range(nameof(options.MaxBytes), options.MaxBytes, 100_000, 100_000_000_000);
        for (var i = 0; i < options.RequestSizes.Count; i++)
        {
            var size = options.RequestSizes[i];
            if (size is < 1 or > RequestSizeLimit)
            {
                errors.Add($"{nameof(options.RequestSizes)}:{i}", $"must be between 1 and {RequestSizeLimit} bytes (got {size})");
            }
            else if (i > 0 && size <= options.RequestSizes[i - 1])
            {
                errors.Add($"{nameof(options.RequestSizes)}:{i}", $"must be larger than the size before it (got {size} after {options.RequestSizes[i - 1]})");
            }
        }

        errors.Range(nameof(options.RequestsPerSize), options.RequestsPerSize, 1, 50);
        errors.Range(nameof(options.RequestDuration), options.RequestDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        errors.Range(nameof(options.DirectionTimeout), options.DirectionTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        if (options.DirectionTimeout * 2 >= options.Interval)
        {
            errors.Add(nameof(options.DirectionTimeout), $"must be less than half of {errors.Key(nameof(options.Interval))}, so that a run ends before the next is due (got {ValidationErrors.Describe(options.DirectionTimeout)})");
        }

        errors.Range(nameof(options.StallTimeout), options.StallTimeout, TimeSpan.FromMilliseconds(500), TimeSpan.FromMinutes(5));
        errors.Range(nameof(options.IdleLatencySamples), options.IdleLatencySamples, 1, 1000);
        errors.Range(nameof(options.LoadedLatencyInterval), options.LoadedLatencyInterval, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10));
        CheckBudget(errors, options);
        return errors.Result();
    }

    private static void CheckServer(ValidationErrors errors, SpeedTestOptions options)
    {
        if (!IsHttpUrl(options.Server))
        {
            errors.Add(nameof(options.Server), $"must be an absolute http or https URL (got '{options.Server}')");
        }

        if (options.UploadUrl.Length > 0)
        {
            if (options.ServerType != SpeedTestServerType.Url)
            {
                errors.Add(nameof(options.UploadUrl), $"is only read when {errors.Key(nameof(options.ServerType))} is Url (the other servers have their own upload path)");
            }
            else if (!IsHttpUrl(options.UploadUrl))
            {
                errors.Add(nameof(options.UploadUrl), $"must be an absolute http or https URL (got '{options.UploadUrl}')");
            }
        }

        if (options.Name.Length > 0 && !LabelValue.IsValid(options.Name))
        {
            errors.Add(nameof(options.Name), "is an invalid label value: use letters, digits, '.', '-' and '_'");
        }

        if (options.Token.Any(char.IsWhiteSpace))
        {
            errors.Add(nameof(options.Token), "must not contain spaces");
        }
    }

    private static void CheckBudget(ValidationErrors errors, SpeedTestOptions options)
    {
        var budget = options.Budget;
        foreach (var (key, cap) in new[] { ("Budget:Daily", budget.Daily), ("Budget:Monthly", budget.Monthly) })
        {
            if (cap < 0)
            {
                errors.Add(key, $"must be 0 (no cap) or a number of bytes (got {cap})");
            }
            else if (cap > 0 && options.RequestSizes.All(size => size > 0) && options.Limits().SmallestRunBytes is var least && cap < least)
            {
                errors.Add(key, $"({cap} bytes) is smaller than the least a run needs (one round of the smallest request size each way: {least} bytes): every run would be skipped");
            }
        }

        errors.Range("Budget:MonthStartDay", budget.MonthStartDay, 1, 28);
        if (string.IsNullOrWhiteSpace(budget.StatePath))
        {
            errors.Add("Budget:StatePath", "must not be empty");
        }
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !string.IsNullOrEmpty(uri.Host);
}
