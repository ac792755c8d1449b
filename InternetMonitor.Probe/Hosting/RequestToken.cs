using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;

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

    public const string LocalOnlyHint = "without a token, only a program on this host may do this (from 127.0.0.1 or ::1, to localhost, with a JSON body): set a token in the settings, then send Authorization: Bearer <token>";

    /// <summary>
    /// For an endpoint that changes something: with a token configured, the request must carry it; without one, only a
    /// client on this host is accepted, and only as a program sends it, not as a web page could make a browser send it:
    /// from loopback, to a loopback host name (a name rebound to 127.0.0.1 by a web page's DNS is refused) and with a
    /// JSON body (a form or a plain-text post, which needs no permission from the probe, is refused).
    /// </summary>
    public static bool AcceptsChange(HttpContext context, string token)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > 0)
        {
            return Accepts(context, token);
        }

        var host = context.Request.Host.Host.Trim('[', ']');
        return context.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address)
            && (host == "localhost" || (System.Net.IPAddress.TryParse(host, out var named)
                && (System.Net.IPAddress.IsLoopback(named) || named.Equals(System.Net.IPAddress.Any) || named.Equals(System.Net.IPAddress.IPv6Any))))
            && context.Request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The 401 answer to a change <see cref="AcceptsChange"/> refused: how to send a token, and which setting (<paramref name="settingKey"/>) holds it.</summary>
    public static ContentHttpResult Refusal(string token, string settingKey)
    {
        ArgumentNullException.ThrowIfNull(token);
        return TypedResults.Text((token.Length > 0 ? Hint : $"{LocalOnlyHint} ({settingKey})") + "\n", statusCode: StatusCodes.Status401Unauthorized);
    }
}
