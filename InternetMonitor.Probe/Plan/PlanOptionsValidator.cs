using System.Globalization;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Plan;

/// <summary>Each speed 0 or up to <see cref="MaxMbps"/>; per direction, minimum at most normal at most maximum where stated; a price not negative.</summary>
public sealed class PlanOptionsValidator : IValidateOptions<PlanOptions>
{
    public const double MaxMbps = 1_000_000;

    public ValidateOptionsResult Validate(string? name, PlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(PlanOptions.Section);
        foreach (var (prefix, speeds) in new[] { ("Download", options.Speeds("download")), ("Upload", options.Speeds("upload")) })
        {
            var keys = (Maximum: prefix + "Mbps", Normal: prefix + "NormalMbps", Minimum: prefix + "MinimumMbps");
            var valid = true;
            foreach (var (key, value) in new[] { (keys.Maximum, speeds.MaximumMbps), (keys.Normal, speeds.NormalMbps), (keys.Minimum, speeds.MinimumMbps) })
            {
                if (!double.IsFinite(value) || value < 0 || value > MaxMbps)
                {
                    errors.Add(key, string.Create(CultureInfo.InvariantCulture, $"must be 0 (not stated) or a speed in Mbit/s up to {MaxMbps} (got {value})"));
                    valid = false;
                }
            }

            if (!valid)
            {
                continue;
            }

            // The contract's order: minimum <= normally available <= maximum; one pair that contradicts it is named once.
            if (Above(speeds.MinimumMbps, speeds.NormalMbps))
            {
                errors.Add(keys.Minimum, Contradiction(speeds.MinimumMbps, errors.Key(keys.Normal), speeds.NormalMbps, "the minimum is the least the contract promises, the normally available speed what it promises most of the time"));
            }
            else if (Above(speeds.NormalMbps, speeds.MaximumMbps))
            {
                errors.Add(keys.Normal, Contradiction(speeds.NormalMbps, errors.Key(keys.Maximum), speeds.MaximumMbps, "the normally available speed cannot exceed the contract's maximum"));
            }
            else if (Above(speeds.MinimumMbps, speeds.MaximumMbps))
            {
                errors.Add(keys.Minimum, Contradiction(speeds.MinimumMbps, errors.Key(keys.Maximum), speeds.MaximumMbps, "the minimum cannot exceed the contract's maximum"));
            }
        }

        if (!double.IsFinite(options.MonthlyPrice) || options.MonthlyPrice < 0)
        {
            errors.Add(nameof(options.MonthlyPrice), string.Create(CultureInfo.InvariantCulture, $"must be 0 (not stated) or what the contract costs a month (got {options.MonthlyPrice})"));
        }

        if (options.Currency.Length > 8 || options.Currency.Any(char.IsControl))
        {
            errors.Add(nameof(options.Currency), $"must be a short currency code or sign such as EUR or £ (got '{options.Currency}')");
        }

        return errors.Result();
    }

    /// <summary>Whether both are stated and <paramref name="lower"/> is above <paramref name="upper"/>.</summary>
    private static bool Above(double lower, double upper) => lower > 0 && upper > 0 && lower > upper;

    private static string Contradiction(double value, string otherKey, double other, string why) =>
        string.Create(CultureInfo.InvariantCulture, $"({value} Mbit/s) must not be above {otherKey} ({other} Mbit/s): {why}");
}
