namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>
/// Reads a secret from the file a setting names or, when the setting is empty, from an environment variable.
/// The value is trimmed of the line break editors and <c>echo</c> leave at the end.
/// </summary>
public sealed class SecretReader(Func<string, string?> environment)
{
    public static SecretReader FromProcess { get; } = new(System.Environment.GetEnvironmentVariable);

    /// <summary>How it reads a variable.</summary>
    public Func<string, string?> Environment { get; } = environment;

    /// <summary>The secret, or null when neither the file setting nor the variable is set; a file that cannot be read is an error.</summary>
    public string? Read(string fileKey, string file, string variable, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrWhiteSpace(file))
        {
            try
            {
                var text = File.ReadAllText(file).Trim();
                if (text.Length == 0)
                {
                    errors.Add($"{fileKey} names {file}, which is empty");
                    return null;
                }

                return text;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{fileKey} names {file}, which cannot be read: {exception.Message}");
                return null;
            }
        }

        // A variable set to blanks is unset: never an empty secret.
        return Environment(variable)?.Trim() is { Length: > 0 } value ? value : null;
    }
}
