using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Configuration;

/// <summary>Turns the exceptions a bad configuration raises at start into the one message the user reads.</summary>
public static class ConfigurationErrorMessage
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
                return parts.TrueForAll(part => part is not null) ? string.Join("; ", parts) : null;
            case InvalidOperationException binding when IsBindingError(binding):
                // The binder's own text names the key and the type: "Failed to convert configuration value
                // 'x' at 'Monitor:Icmp:Interval' to type 'System.TimeSpan'." or the unknown keys it found.
                return binding.Message;
            default:
                return null;
        }
    }

    private static bool IsBindingError(InvalidOperationException exception) =>
        exception.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
        || exception.Message.Contains("were not found on type", StringComparison.Ordinal);
}
