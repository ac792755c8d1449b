using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace InternetMonitor.Probe.Hosting;

/// <summary>
/// Headers that keep a browser from misreading the probe's answers: <c>X-Content-Type-Options: nosniff</c> on every
/// answer (a CSV or a text is never run as a script), and on a page a content security policy that lets it run only its
/// own scripts and talk only to the probe, and never be framed.
/// </summary>
public static partial class SecurityHeaders
{
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            // When the answer starts, so that an error answer (whose headers are cleared first) has it too.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The policy for <paramref name="html"/>: its inline scripts and styles allowed by their SHA-256 (and nothing else
    /// inline), scripts, styles, fetches and images from the probe alone, no plugins, forms, base URL or framing.
    /// </summary>
    public static string ContentSecurityPolicy(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var scripts = Hashes(InlineScript(), html);
        var styles = Hashes(InlineStyle(), html);
        return $"default-src 'none'; script-src 'self'{scripts}; style-src 'self'{styles}; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /// <summary>Sets the page headers on <paramref name="context"/>'s answer: the policy, no framing, no referrer sent on.</summary>
    public static void ForPage(HttpContext context, string policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ContentSecurityPolicy = policy;
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
    }

    private static string Hashes(Regex element, string html) => string.Concat(element.Matches(html)
        .Select(match => $" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(match.Groups["body"].Value)))}'"));

    [GeneratedRegex("<script>(?<body>.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex("<style>(?<body>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex InlineStyle();
}
