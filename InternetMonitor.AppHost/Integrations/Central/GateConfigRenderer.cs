using System.Security.Cryptography;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static InternetMonitor.AppHost.Rendering.YamlFile;

namespace InternetMonitor.AppHost.Integrations.Central;

/// <summary>
/// Renders the gate's (vmauth's) configuration from <c>Central:Sites</c>: one user per site, its name and password or its
/// bearer token, allowed one path, the remote-write endpoint, routed to the store; and the gate's certificate and key.
/// vmauth reads credentials from its configuration's text only, so the whole file is a secret, in
/// <see cref="CentralBuilderExtensions.SecretsFolder"/> with the certificate and key. No secret is ever in an error.
/// </summary>
public static class GateConfigRenderer
{
    public const string AuthFile = "gate.yml";
    public const string CertificateFile = "gate-certificate.pem";
    public const string KeyFile = "gate-key.pem";

    /// <summary>The one path a site may reach: Prometheus' and VictoriaMetrics' remote-write endpoint alike.</summary>
    public const string WritePath = "/api/v1/write";

    /// <summary>A key for vmauth's own pages (profiling, metrics, flags, reload), made anew for each rendering and said nowhere else.</summary>
    public static string NewPageKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The secret files (relative to observability/) for a store at <paramref name="store"/>, or the errors.</summary>
    public static (IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Errors) Render(CentralOptions central, Uri store, SecretReader secrets)
    {
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(secrets);
        var errors = new List<string>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (central.Sites.Count == 0)
        {
            errors.Add($"{Key("Sites")} names no site, so the gate would let no write in: add one, such as --{Key("Sites")}:home:PasswordFile=/path/to/file");
        }

        var users = new YamlSequenceNode();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (site, credential) in central.Sites.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var key = Key("Sites", site);
            if (SiteName.Problem(site) is { } problem)
            {
                errors.Add($"{key} names a site that {problem}");
                continue;
            }

            if (credential.PasswordFile.Length > 0 == credential.TokenFile.Length > 0)
            {
                errors.Add(credential.PasswordFile.Length > 0
                    ? $"{key} has both PasswordFile and TokenFile: a site proves who it is with one"
                    : $"{key} needs PasswordFile (basic authentication, its name as the user) or TokenFile (a bearer token)");
                continue;
            }

            var password = credential.PasswordFile.Length > 0 ? secrets.Read(ConfigurationPath.Combine(key, "PasswordFile"), credential.PasswordFile, string.Empty, errors) : null;
            var token = credential.TokenFile.Length > 0 ? secrets.Read(ConfigurationPath.Combine(key, "TokenFile"), credential.TokenFile, string.Empty, errors) : null;
            if (password is null && token is null)
            {
                continue; // the reader said why
            }

            if (token is not null && tokens.TryGetValue(token, out var other))
            {
                errors.Add($"{key} has the same token as {Key("Sites", other)}: each site needs its own, so that the gate tells them apart");
                continue;
            }

            var user = new YamlMappingNode();
            if (token is not null)
            {
                tokens[token] = site;
                user.Add("bearer_token", new YamlScalarNode(token) { Style = ScalarStyle.DoubleQuoted });
            }
            else
            {
                user.Children.Add(Pair("username", site, ScalarStyle.DoubleQuoted));
                user.Children.Add(Pair("password", password!, ScalarStyle.DoubleQuoted));
            }

            user.Add("url_map", new YamlSequenceNode(new YamlMappingNode(
                new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode("src_paths"), new YamlSequenceNode(new YamlScalarNode(WritePath) { Style = ScalarStyle.DoubleQuoted })),
                Pair("url_prefix", store.AbsoluteUri.TrimEnd('/'), ScalarStyle.DoubleQuoted))));
            users.Add(user);
        }

        Tls(central, files, errors);
        if (errors.Count > 0)
        {
            return (new Dictionary<string, string>(), errors);
        }

        var stream = new YamlStream(new YamlDocument(new YamlMappingNode(new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode("users"), users))));
        files[$"{CentralBuilderExtensions.SecretsFolder}/{AuthFile}"] = Save(stream, "Rendered by the AppHost from the Central:Sites settings (docs/sites.md): each site's credential, allowed the remote-write path alone.");
        return (files, []);
    }

    private static void Tls(CentralOptions central, Dictionary<string, string> files, List<string> errors)
    {
        if (central.TlsCertFile.Length == 0 && central.TlsKeyFile.Length == 0)
        {
            return;
        }

        if (central.TlsCertFile.Length == 0 || central.TlsKeyFile.Length == 0)
        {
            errors.Add($"{Key("TlsCertFile")} and {Key("TlsKeyFile")} go together: the gate serves HTTPS with both, plain HTTP with neither");
            return;
        }

        if (Pem(Key("TlsCertFile"), central.TlsCertFile, "CERTIFICATE", errors) is { } certificate
            && Pem(Key("TlsKeyFile"), central.TlsKeyFile, "PRIVATE KEY", errors) is { } key)
        {
            files[$"{CentralBuilderExtensions.SecretsFolder}/{CertificateFile}"] = certificate;
            files[$"{CentralBuilderExtensions.SecretsFolder}/{KeyFile}"] = key;
        }
    }

    /// <summary>The PEM text of <paramref name="path"/> when it holds a block whose label ends in <paramref name="label"/>.</summary>
    private static string? Pem(string key, string path, string label, List<string> errors)
    {
        try
        {
            var text = File.ReadAllText(path);
            if (!text.Contains($"{label}-----", StringComparison.Ordinal) || !text.Contains("-----BEGIN ", StringComparison.Ordinal))
            {
                errors.Add($"{key} names {path}, which holds no PEM {label.ToLowerInvariant()} (-----BEGIN ...{label}-----)");
                return null;
            }

            return text.TrimEnd() + "\n";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{key} names {path}, which cannot be read: {exception.Message}");
            return null;
        }
    }

    private static string Key(params string[] path) => ConfigurationPath.Combine([CentralOptions.Section, .. path]);
}
