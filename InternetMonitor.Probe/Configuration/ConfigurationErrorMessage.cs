using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Configuration;

/// <summary>Turns the exceptions a bad configuration raises at start into the one message the user reads.</summary>
public static partial class ConfigurationErrorMessage
{
    /// <summary>The message for a configuration error, or null when <paramref name="exception"/> is something else.</summary>
    public static string? From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case OptionsValidationException validation:
                return string.Join("; ", validation.Failures);
            case AggregateException aggregate:
                var parts = aggregate.InnerExceptions.Select(From).ToList();
                return parts.TrueForAll(part => part is not null) ? string.Join("; ", parts.Distinct(StringComparer.Ordinal)) : null;
            case InvalidOperationException binding when ConversionFailure().Match(binding.Message) is { Success: true } match:
                return $"{match.Groups["key"].Value} must be {Expected(match.Groups["type"].Value)} (got '{match.Groups["value"].Value}')";
            default:
                return null;
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2057", Justification = "The enums named here are the probe's own, and its assembly is rooted whole in a native build.")]
    private static string Expected(string typeName)
    {
        var type = Type.GetType(typeName);
        if (type is { IsEnum: true })
        {
            return $"one of {string.Join(", ", Enum.GetNames(type))}";
        }

        return typeName switch
        {
            "System.TimeSpan" => "a duration such as 00:00:30 (hh:mm:ss)",
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" => "a number",
            "System.Boolean" => "true or false",
            "System.Uri" => "a URL",
            _ => $"a value of type {typeName}",
        };
    }

    // The binder's own text: Failed to convert configuration value 'x' at 'Monitor:Icmp:Interval' to type 'System.TimeSpan'.
    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex ConversionFailure();
}
