using System.Security.Cryptography;
using InternetMonitor.Probe.Configuration;
using Microsoft.Extensions.Options;

namespace InternetMonitor.Probe.Probing.Http;

public sealed class HttpProbeOptionsValidator : IValidateOptions<HttpProbeOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpProbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidationErrors(HttpProbeOptions.Section);
        errors.Schedule(options.Interval, options.StartJitter, options.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        errors.Range(nameof(options.MaxBodyBytes), options.MaxBodyBytes, 0, 1 << 30);
        if (string.IsNullOrWhiteSpace(options.UserAgent))
        {
            errors.Add(nameof(options.UserAgent), "must not be empty");
        }

        foreach (var (target, settings) in options.Targets)
        {
            var key = $"Targets:{target}";
            if (!LabelValue.IsValid(target))
            {
                errors.Add(key, "has an invalid name: use letters, digits, '.', '-' and '_'");
            }
            else if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
            {
                errors.Add($"{key}:Url", $"must be an absolute http or https URL (got '{settings.Url}')");
            }
            else if (settings.ExpectedStatus.Find(code => code is < 100 or > 599) is var code and not 0)
            {
                errors.Add($"{key}:ExpectedStatus", $"must hold HTTP status codes between 100 and 599 (got {code})");
            }
            else if (settings.CaFile is { } caFile && Unreadable(caFile) is { } problem)
            {
                errors.Add($"{key}:CaFile", $"must be a readable PEM file of certificates ({caFile}: {problem})");
            }
        }

        return errors.Result();
    }

    private static string? Unreadable(string file)
    {
        if (!File.Exists(file))
        {
            return "no such file";
        }

        try
        {
            HttpAuthorities.Release(HttpAuthorities.Load(file));
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException or InvalidDataException)
        {
            return exception.Message;
        }
    }
}
