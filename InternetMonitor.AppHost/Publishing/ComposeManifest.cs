using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;
using YamlDotNet.Serialization;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// The compose project's docker-compose.yaml, made from the same model as process mode: each resource with an image
/// becomes a service whose command and environment are the resource's own, computed for paths inside the containers;
/// its data is a named volume, its configuration mounted read-only, its health checked by a program its image holds,
/// and it waits for what it waits for in process mode, healthy.
/// </summary>
public static partial class ComposeManifest
{
    /// <summary>The volume a resource keeps its data in (<c>internet-monitor_prometheus-data</c> once compose prefixes the project).</summary>
    public static string VolumeName(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return $"{resource.Name}-data";
    }

    /// <summary>The services of <paramref name="model"/> that have an image, configured for <paramref name="context"/>.</summary>
    public static IReadOnlyList<(Resource Resource, ComposeService Service)> Services(StackModel model, ResourceContext context, IReadOnlyList<string> secretFiles)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(secretFiles);
        var services = new List<(Resource, ComposeService)>();
        foreach (var resource in model.StartOrder().Where(resource => resource.Container is not null))
        {
            var container = resource.Container!;
            var service = new ComposeService { Image = $"${{{container.ImageVariable}:?set {container.ImageVariable} in .env}}" };
            if (container.BuildContext is { } build)
            {
                service.Build = (build, new(StringComparer.Ordinal) { ["BASE_IMAGE"] = "${PROBE_BASE_IMAGE:?set PROBE_BASE_IMAGE in .env}" });
            }

            if (container.Profile is { } profile)
            {
                service.Profiles.Add(profile);
            }

            var launch = LaunchSpec.For(resource, context);
            service.Command.AddRange(resource.Kind == ResourceKind.Project ? launch.Arguments.Skip(1) : launch.Arguments); // a project's first argument is its assembly
            foreach (var (name, value) in launch.Environment)
            {
                service.Environment[name] = value;
            }

            if (container.DataPath is { } data)
            {
                service.Volumes.Add($"{VolumeName(resource)}:{data}");
                if (resource.Kind == ResourceKind.Project)
                {
                    service.WorkingDirectory = data; // as in process mode, where a project runs in its data folder
                }
            }

            foreach (var relative in container.Config)
            {
                service.Volumes.Add($"./observability/{relative}:{context.Config(relative)}:ro");
            }

            if (resource.Name == "alertmanager")
            {
                // Each secret alone: its folder on this host is owner-only, so it cannot be reached through a mounted folder.
                service.Volumes.AddRange(secretFiles.Select(file => $"./observability/alertmanager/{file}:{context.Config("alertmanager/" + file)}:ro"));
            }

            service.HealthCheck = HealthCheck(resource, context);
            service.DependsOn.AddRange(resource.WaitsFor.Where(other => other.Container is { Profile: null }).Select(other => other.Name));
            foreach (var customize in container.Customize)
            {
                customize(service);
            }

            if (!context.IsAvailable(resource))
            {
                // Its profile is off: a variable it requires must not stop compose for the others (ps, logs, down).
                foreach (var (name, value) in service.Environment.ToList())
                {
                    service.Environment[name] = Required().Replace(value, "${$1:-}");
                }
            }

            // Compose recreates a container when its definition changes, not when a file it mounts does: the digest of
            // those files makes a new configuration (rules, receivers, a rotated secret) a new definition.
            var mounted = container.Config.Concat(resource.Name == "alertmanager" ? secretFiles.Select(file => "alertmanager/" + file) : []).ToList();
            if (mounted.Count > 0)
            {
                service.Labels["internet-monitor.configuration"] = Digest(Path.Combine(context.StateDirectory, "observability"), mounted);
            }

            services.Add((resource, service));
        }

        return services;
    }

    /// <summary>docker-compose.yaml for <paramref name="services"/>, with a header that says what it is and how to change it.</summary>
    public static string Write(IReadOnlyList<(Resource Resource, ComposeService Service)> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var document = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["services"] = services.ToDictionary(pair => pair.Resource.Name, pair => (object)pair.Service.ToYaml(), StringComparer.Ordinal),
            ["volumes"] = services.Where(pair => pair.Resource.Container!.DataPath is not null)
                .ToDictionary(pair => VolumeName(pair.Resource), _ => (object)new Dictionary<string, object>(), StringComparer.Ordinal),
        };
        var yaml = new SerializerBuilder().WithQuotingNecessaryStrings().DisableAliases().Build().Serialize(document);
        return """
            # Internet Monitor, as a compose project: written by `dotnet run --project InternetMonitor.AppHost -- publish`
            # from the same model as process mode. Settings an operator changes are in .env beside this file (images,
            # listen address, optional services, the Grafana admin password); everything else is published again.
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

    private static List<string>? HealthCheck(Resource resource, ResourceContext context)
    {
        if (resource.HealthPath is null || resource.Http is null)
        {
            return null;
        }

        var url = new Uri(context.Url(resource), resource.HealthPath).AbsoluteUri;
        return resource.Container!.HealthCheck switch
        {
            ContainerHealthCheck.Wget => ["CMD", "wget", "-q", "-O", "/dev/null", url],
            ContainerHealthCheck.Bash => ["CMD", "bash", "-c", string.Create(CultureInfo.InvariantCulture,
                $"exec 3<>/dev/tcp/{context.Host}/{resource.Http.Port} && printf 'GET {resource.HealthPath} HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '")],
            _ => null,
        };
    }
}
