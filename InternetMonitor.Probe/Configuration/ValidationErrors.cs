using System.Globalization;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Configuration;

/// <summary>Collects validation failures, each one sentence that starts with the full configuration key.</summary>
public sealed class ValidationErrors(string section)
{
    private readonly List<string> _errors = [];

    public string Key(string name) => ConfigurationPath.Combine(OptionsRegistration.Root, section, name);

    public void Add(string name, string problem) => _errors.Add($"{Key(name)} {problem}");

    public void Range(string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            Add(name, $"must be between {Describe(min)} and {Describe(max)} (got {Describe(value)})");
        }
    }

    public void Range(string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(name, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} (got {value})"));
        }
    }

    public void Range(string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            Add(name, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} (got {value})"));
        }
    }

    /// <summary>
    /// The schedule of a job: Interval (1 s .. 1 day), StartJitter (0 .. Interval), Timeout (within its bounds and
    /// shorter than Interval, so that runs end before the next one is due).
    /// </summary>
    public void Schedule(TimeSpan interval, TimeSpan startJitter, TimeSpan timeout, TimeSpan minTimeout, TimeSpan maxTimeout)
    {
        Range("Interval", interval, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Range("StartJitter", startJitter, TimeSpan.Zero, interval);
        Range("Timeout", timeout, minTimeout, maxTimeout);
        if (timeout >= interval)
        {
            Add("Timeout", $"must be shorter than {Key("Interval")} ({Describe(timeout)} is not shorter than {Describe(interval)})");
        }
    }

    public ValidateOptionsResult Result() =>
        _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);

    /// <summary>hh:mm:ss with a fraction only when there is one: 00:00:00.01, 00:00:05, 1.00:00:00.</summary>
    public static string Describe(TimeSpan value)
    {
        var text = value.ToString("c", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) && text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }
}
