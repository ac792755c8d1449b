using System.Text.RegularExpressions;

namespace InternetMonitor.AppHost.Stack;

/// <summary>
/// A site's name (<c>Stack:Site</c>): the <c>site</c> label of every series and alert its Prometheus sends on, the probe's
/// <c>site</c> resource attribute, a Grafana variable's value. Any text is a valid Prometheus label value; the name is held
/// to letters, digits, '.', '_' and '-' (at most 63) so that it reads the same in a URL, a file name and a query.
/// </summary>
public static partial class SiteName
{
    /// <summary>The label and the resource attribute that carry it.</summary>
    public const string Label = "site";

    /// <summary>The variable that gives the probe its site (ServiceDefaults makes it the <c>site</c> resource attribute).</summary>
    public const string ProbeVariable = "INTERNET_MONITOR_SITE";

    public const string Default = "home";

    /// <summary>Why <paramref name="site"/> cannot be a site's name, or null when it can.</summary>
    public static string? Problem(string? site) => site is not null && Pattern().IsMatch(site)
        ? null
        : $"must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or a digit, such as home or office (got \"{site}\")";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex Pattern();
}
