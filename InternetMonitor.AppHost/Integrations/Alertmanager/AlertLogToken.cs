using System.Security.Cryptography;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Integrations.Alertmanager;

/// <summary>
/// The token Alertmanager sends to the probe's alert log in container mode, made for the run when the settings name
/// none: Alertmanager's container reaches the probe from the engine's network, and without a token the probe takes
/// alerts from loopback alone (as from the compose project's Alertmanager, on the host's network).
/// </summary>
public static class AlertLogToken
{
    /// <summary>The probe's setting that holds it.</summary>
    public const string ProbeSetting = "Monitor:AlertLog:Token";

    /// <summary>A new token, or null when the run needs none (not in containers) or the settings name one, on either side.</summary>
    public static string? ForRun(StackRun run, IConfiguration configuration, AlertingOptions alerting, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(alerting);
        ArgumentNullException.ThrowIfNull(environment);
        var named = !string.IsNullOrWhiteSpace(configuration[ProbeSetting]) || !string.IsNullOrWhiteSpace(alerting.AlertLogTokenFile)
            || !string.IsNullOrWhiteSpace(environment(AlertingOptions.AlertLogTokenVariable));
        return run == StackRun.Containers && !named ? RandomNumberGenerator.GetHexString(64, lowercase: true) : null;
    }

    /// <summary>Secrets read as <paramref name="secrets"/> would, with <paramref name="token"/> as the alert log's when there is one.</summary>
    public static SecretReader With(this SecretReader secrets, string? token)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return token is null ? secrets : new SecretReader(variable => variable == AlertingOptions.AlertLogTokenVariable ? token : secrets.Environment(variable));
    }
}
