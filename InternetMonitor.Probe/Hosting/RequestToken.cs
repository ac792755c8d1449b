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

    public const string LocalOnlyHint = "only a client on this host may do this without a token: set one in the settings, then send Authorization: Bearer <token>";

    /// <summary>
    /// For an endpoint that changes something: with a token configured, the request must carry it; without one, only a
    /// client on this host (loopback) is accepted, so that a probe listening on the network changes nothing for others.
    /// </summary>
    public static bool AcceptsChange(HttpContext context, string token)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(token);
        return token.Length > 0 ? Accepts(context, token) : context.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address);
    }
}
