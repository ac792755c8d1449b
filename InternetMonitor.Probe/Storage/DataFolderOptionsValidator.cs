using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Storage;

public sealed class DataFolderOptionsValidator : IValidateOptions<DataFolderOptions>
{
    public static string Key => ConfigurationPath.Combine(OptionsRegistration.Root, DataFolderOptions.Key);

    public ValidateOptionsResult Validate(string? name, DataFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.DataDirectory switch
        {
            null => ValidateOptionsResult.Fail($"{Key} must be set: neither XDG_DATA_HOME nor HOME names an absolute folder to keep the probe's data in"),
            var path when !Path.IsPathFullyQualified(path) => ValidateOptionsResult.Fail($"{Key} must be an absolute path (got '{path}')"),
            var path when path.Contains('\0', StringComparison.Ordinal) => ValidateOptionsResult.Fail($"{Key} must not contain a NUL character"),
            _ => ValidateOptionsResult.Success,
        };
    }
}
