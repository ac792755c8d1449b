using System.Text.RegularExpressions;

namespace InternetMonitor.Probe.Configuration;

/// <summary>Names that become label values: short, plain, safe in PromQL and file names.</summary>
public static partial class LabelValue
{
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
