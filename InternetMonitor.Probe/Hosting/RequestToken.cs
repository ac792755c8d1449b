using System.Security.Cryptography;
using System.Text;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// The shared secret that guards an endpoint which spends the line or changes what the probe keeps:
/// <c>Authorization: Bearer &lt;token&gt;</c> or <c>?token=&lt;token&gt;</c>, compared in constant time.
/// </summary>
public static class RequestToken
{
    public const string Hint = "a token is required: Authorization: Bearer <token> or ?token=<token>";

    /// <summary>True when no token is configured or the request carries the configured one.</summary>
    public static bool Accepts(HttpContext context, string token)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length == 0)
        {
            return true;
        }

        // The scheme's name is case-insensitive (RFC 9110).
        var given = context.Request.Headers.Authorization is { Count: > 0 } header && header.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header.ToString()["Bearer ".Length..].Trim()
            : context.Request.Query["token"].ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
    }
}
