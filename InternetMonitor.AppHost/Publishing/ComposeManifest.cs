using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Stack;
using YamlDotNet.Serialization;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// The compose project's docker-compose.yaml, from Aspire's application model: each resource with an image becomes a
/// service whose command and environment are its argument and environment callbacks evaluated for publishing (paths
/// inside the containers); its data is a named volume, its configuration mounted read-only, its health checked by a
/// program its image holds, and what it waits for (<c>WaitFor</c>) it depends on, healthy.
/// </summary>
public static partial class ComposeManifest
{
    /// <summary>
    /// Variables Aspire gives a project for its own dashboard and proxies in a run; the compose project sets the probe's
    /// listen address, logs and traces itself.
    /// </summary>
    private static readonly string[] RunOnlyPrefixes = ["OTEL_", "ASPNETCORE_", "HTTP_PORTS", "HTTPS_PORTS", "DOTNET_", "LOGGING__CONSOLE", "services__"];

    /// <summary>The volume a resource keeps its data in (<c>internet-monitor_prometheus-data</c> once compose prefixes the project).</summary>
    public static string VolumeName(IResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return $"{resource.Name}-data";
    }

    /// <summary>The service of <paramref name="resource"/>, configured for the compose <paramref name="layout"/>.</summary>
    public static async Task<ComposeService> ServiceAsync(IResource resource, StackLayout layout,
        DistributedApplicationExecutionContext execution, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(layout);
        var compose = resource.Compose();
        var service = new ComposeService { Image = $"${{{compose.ImageVariable}:?set {compose.ImageVariable} in .env}}" };
        if (compose.BuildContext is { } build)
        {
            service.Build = (build, new(StringComparer.Ordinal) { ["BASE_IMAGE"] = "${PROBE_BASE_IMAGE:?set PROBE_BASE_IMAGE in .env}" });
        }

        if (compose.Profile is { } profile)
        {
            service.Profiles.Add(profile);
        }

        // The resource's own argument and environment callbacks, run for publishing.
        if (resource is not ProjectResource)
        {
            service.Command.AddRange(await ComposeValues.ArgumentsAsync(resource, layout, execution, cancellationToken).ConfigureAwait(false));
        }

        var environment = await ComposeValues.EnvironmentAsync(resource, layout, execution, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in environment.Where(pair => resource is not ProjectResource
            || !RunOnlyPrefixes.Any(prefix => pair.Key.StartsWith(prefix, StringComparison.Ordinal)) || pair.Key == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        {
            service.Environment[name] = value;
        }

        if (compose.DataPath is { } data)
        {
            service.Volumes.Add($"{VolumeName(resource)}:{data}");
        }

        foreach (var relative in compose.Config)
        {
            service.Volumes.Add($"./observability/{relative}:{layout.Config(relative)}:ro");
        }

        // Each secret alone: its folder on this host is owner-only, so it cannot be reached through a mounted folder.
        var secrets = layout.SecretFiles(compose.SecretsFolder);
        service.Volumes.AddRange(secrets.Select(file => $"./observability/{file}:{layout.Config(file)}:ro"));

        service.HealthCheck = HealthCheck(resource, compose);
        var waits = resource.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource)
            .Where(other => other.Annotations.OfType<ComposeServiceAnnotation>().SingleOrDefault() is { Profile: null });
        service.DependsOn.AddRange(waits.Select(other => other.Name).Distinct(StringComparer.Ordinal));
        foreach (var customize in compose.Customize)
        {
            customize(service);
        }

        if (!layout.IsRunning(resource))
        {
            // Its profile is off: a variable it requires must not stop compose for the others (ps, logs, down).
            foreach (var (name, value) in service.Environment.ToList())
            {
                service.Environment[name] = Required().Replace(value, "${$1:-}");
            }
        }

        // Compose recreates a container when its definition changes, not when a file it mounts does: the digest of
        // those files makes a new configuration (rules, receivers, a rotated secret) a new definition.
        var mounted = compose.Config.Concat(secrets).ToList();
        if (mounted.Count > 0)
        {
            service.Labels["internet-monitor.configuration"] = Digest(layout.ObservabilityDirectory, mounted);
        }

        return service;
    }

    /// <summary>docker-compose.yaml for <paramref name="services"/>, with a header that says what it is and how to change it.</summary>
    public static string Write(IReadOnlyList<(IResource Resource, ComposeService Service)> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var document = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["services"] = services.ToDictionary(pair => pair.Resource.Name, pair => (object)pair.Service.ToYaml(), StringComparer.Ordinal),
            ["volumes"] = services.Where(pair => pair.Resource.Compose().DataPath is not null)
                .ToDictionary(pair => VolumeName(pair.Resource), _ => (object)new Dictionary<string, object>(), StringComparer.Ordinal),
        };
        var yaml = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build().Serialize(document);
        return """
            # Internet Monitor, as a compose project: written by `dotnet run --project InternetMonitor.AppHost -- publish`
            # (or `aspire publish`) from the AppHost's model. Settings an operator changes are in .env beside this file
            # (images, listen address, optional services, the Grafana admin password); everything else is published again.
            # Every service shares the host's network, so that the probe measures this host's own connection and the
            # parts reach each other on 127.0.0.1; each listens on LISTEN_ADDRESS (127.0.0.1 unless .env opens it).

            """ + yaml;
    }

    /// <summary>SHA-256 of the files under <paramref name="relatives"/> (files or folders of <paramref name="root"/>), names and contents.</summary>
    public static string Digest(string root, IEnumerable<string> relatives)
    {
        ArgumentNullException.ThrowIfNull(relatives);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = relatives.SelectMany(relative =>
        {
            var path = Path.Combine(root, relative);
            return Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories) : File.Exists(path) ? [path] : [];
        });
        foreach (var file in files.Select(file => Path.GetRelativePath(root, file)).Order(StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(root, file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    [GeneratedRegex(@"\$\{([A-Z_]+):\?[^}]*\}")]
    private static partial Regex Required();

    private static List<string>? HealthCheck(IResource resource, ComposeServiceAnnotation compose)
    {
        if (compose.HealthPath is not { } path)
        {
            return null;
        }

        var port = StackLayout.Port(resource);
        return compose.HealthCheck switch
        {
            ContainerHealthCheck.Wget => ["CMD", "wget", "-q", "-O", "/dev/null", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}")],
            ContainerHealthCheck.Bash => ["CMD", "bash", "-c", string.Create(CultureInfo.InvariantCulture,
                $"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {path} HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '")],
            _ => null,
        };
    }
}
