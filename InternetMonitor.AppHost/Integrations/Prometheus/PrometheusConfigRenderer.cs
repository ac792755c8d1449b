using System.Globalization;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static InternetMonitor.AppHost.Rendering.YamlFile;

namespace InternetMonitor.AppHost.Integrations.Prometheus;

/// <summary>
/// Renders observability/prometheus/prometheus.yml for one site: its name as the <c>site</c> external label, which
/// Prometheus adds to every alert it sends to Alertmanager and every series it sends out, so that a central store tells
/// the sites apart and one site's alerts are grouped and inhibited apart from another's; and, when
/// <c>Stack:RemoteWrite:Url</c> is set, the remote write to that store, its credentials in files of their own. They
/// live in a folder beside Prometheus' (<see cref="SecretsFolder"/>), named relative to prometheus.yml as Prometheus reads
/// them: the prometheus/ folder is mounted whole into its container, where an owner-only folder inside it could not be
/// entered by the image's user, so each secret is mounted alone from outside it. No secret is ever in an error.
/// </summary>
public static class PrometheusConfigRenderer
{
    /// <summary>The remote write's name in Prometheus' own metrics (<c>remote_name="central"</c>).</summary>
    public const string RemoteName = "central";

    /// <summary>The rendered folder of Prometheus' secrets, beside prometheus/ in observability/.</summary>
    public const string SecretsFolder = "prometheus-secrets";

    public static PrometheusRendering Render(string baseYaml, string site, RemoteWriteOptions remoteWrite, SecretReader secrets)
    {
        ArgumentNullException.ThrowIfNull(baseYaml);
        ArgumentNullException.ThrowIfNull(remoteWrite);
        ArgumentNullException.ThrowIfNull(secrets);
        var errors = new List<string>();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (SiteName.Problem(site) is { } problem)
        {
            errors.Add($"{StackOptions.Section}:Site {problem}");
        }

        var remote = remoteWrite.Enabled ? RemoteWrite(remoteWrite, secrets, files, errors) : null;
        if (errors.Count > 0)
        {
            return new(string.Empty, new Dictionary<string, string>(), errors);
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(baseYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var labels = Mapping(Mapping(root, "global"), "external_labels");
        labels.Children[new YamlScalarNode(SiteName.Label)] = new YamlScalarNode(site) { Style = ScalarStyle.DoubleQuoted }; // "1234" stays a string
        if (remote is not null)
        {
            root.Children[new YamlScalarNode("remote_write")] = new YamlSequenceNode(remote);
        }

        return new(YamlFile.Save(stream, "Rendered by the AppHost from observability/prometheus/prometheus.yml (whose comments explain each part) and the Stack settings: edit those, not this file."), files, []);
    }

    private static YamlMappingNode? RemoteWrite(RemoteWriteOptions options, SecretReader secrets, Dictionary<string, string> files, List<string> errors)
    {
        var count = errors.Count;
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.UserInfo.Length > 0)
        {
            // A URL with a user and password in it would put them in prometheus.yml's text: Username and PasswordFile instead.
            errors.Add($"{Key("Url")} must be an absolute http or https URL without a user or password in it, such as https://central.example.org:9090/api/v1/write");
        }

        var token = secrets.Read(Key("BearerTokenFile"), options.BearerTokenFile, RemoteWriteOptions.BearerTokenVariable, errors);
        var password = secrets.Read(Key("PasswordFile"), options.PasswordFile, RemoteWriteOptions.PasswordVariable, errors);
        if (token is not null && (options.Username.Length > 0 || password is not null))
        {
            errors.Add($"{Key("BearerTokenFile")} and {Key("Username")} exclude each other: the store takes a bearer token or basic authentication");
        }
        else if (options.Username.Length > 0 && password is null)
        {
            errors.Add($"{Key("Username")} is set, so a password is needed: {Key("PasswordFile")} or {RemoteWriteOptions.PasswordVariable}");
        }
        else if (options.Username.Length == 0 && password is not null)
        {
            errors.Add($"a remote-write password is set ({Key("PasswordFile")} or {RemoteWriteOptions.PasswordVariable}), so {Key("Username")} is needed");
        }

        string? certificate = null;
        if (options.CaFile.Length > 0)
        {
            try
            {
                certificate = File.ReadAllText(options.CaFile);
                if (!certificate.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    errors.Add($"{Key("CaFile")} names {options.CaFile}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                errors.Add($"{Key("CaFile")} names {options.CaFile}, which cannot be read: {exception.Message}");
            }
        }

        Range(errors, "MaxShards", options.MaxShards, 1, 200);
        Range(errors, "MaxSamplesPerSend", options.MaxSamplesPerSend, 100, 100_000);
        Range(errors, "Capacity", options.Capacity, Math.Max(options.MaxSamplesPerSend, 100), 1_000_000);
        if (errors.Count > count)
        {
            return null;
        }

        var config = new YamlMappingNode(Pair("url", url!.AbsoluteUri), Pair("name", RemoteName));
        if (token is not null)
        {
            config.Add("authorization", new YamlMappingNode(Pair("type", "Bearer"), Pair("credentials_file", Secret(files, "remote-write-token", token))));
        }

        if (password is not null)
        {
            config.Add("basic_auth", new YamlMappingNode(Pair("username", options.Username, ScalarStyle.DoubleQuoted), Pair("password_file", Secret(files, "remote-write-password", password))));
        }

        if (certificate is not null)
        {
            config.Add("tls_config", new YamlMappingNode(Pair("ca_file", Secret(files, "remote-write-ca.pem", certificate.TrimEnd() + "\n"))));
        }

        config.Add("queue_config", new YamlMappingNode(
            Pair("capacity", Number(options.Capacity)),
            Pair("max_shards", Number(options.MaxShards)),
            Pair("max_samples_per_send", Number(options.MaxSamplesPerSend))));
        return config;
    }

    /// <summary>Keeps <paramref name="value"/> for the file <see cref="SecretsFolder"/>/<paramref name="name"/> and returns the path Prometheus reads it from (relative to its configuration's folder).</summary>
    private static string Secret(Dictionary<string, string> files, string name, string value)
    {
        var relative = SecretsFolder + "/" + name;
        files[relative] = value;
        return "../" + relative;
    }

    private static void Range(List<string> errors, string name, int value, int low, int high)
    {
        if (value < low || value > high)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Key(name)} must be between {low} and {high} (got {value})"));
        }
    }

    private static string Key(string name) => ConfigurationPath.Combine(StackOptions.Section, "RemoteWrite", name);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The mapping under <paramref name="key"/>, made when the file has none.</summary>
    private static YamlMappingNode Mapping(YamlMappingNode parent, string key)
    {
        if (parent.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlMappingNode mapping)
        {
            return mapping;
        }

        mapping = [];
        parent.Children[new YamlScalarNode(key)] = mapping;
        return mapping;
    }
}
