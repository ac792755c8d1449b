using System.Reflection;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Rendering;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// Writes the stack as a compose project, the deployment Aspire's publish would generate: docker-compose.yaml, .env,
/// the rendered observability/ and the probe's image build context. Container mode publishes into its state folder
/// and runs it; <c>publish --output DIR</c> writes it for an operator to copy and run.
/// </summary>
public sealed class StackPublisher(StackModel model, StackOptions stack, AlertingOptions alerting)
{
    public const string ComposeFile = "docker-compose.yaml";
    public const string ProjectName = "internet-monitor";

    /// <summary>The probe's project, beside the AppHost's in this repository (its image is built from it).</summary>
    public static string ProbeProject { get; } =
        typeof(StackPublisher).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "ProbeProject").Value!;

    /// <summary>The profiles switched on by Stack:Profiles, or the problem with them.</summary>
    public (IReadOnlySet<string> Profiles, string? Error) ActiveProfiles()
    {
        var known = model.Resources.Select(resource => resource.Container?.Profile).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var wanted = stack.Profiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = wanted.Except(known).ToList();
        return unknown.Count > 0
            ? (wanted, $"Stack:Profiles names {string.Join(", ", unknown)}, which is not an optional part (they are {string.Join(", ", known.Order(StringComparer.Ordinal))})")
            : (wanted, null);
    }

    /// <summary>What the containers' arguments are computed from: paths inside them, every part at 127.0.0.1.</summary>
    public ResourceContext Context(string directory, IReadOnlySet<string> profiles) =>
        new(directory, "127.0.0.1", resource => resource.Container is { } container && (container.Profile is null || profiles.Contains(container.Profile)))
        {
            Containers = new ContainerLayout(model.Resources.Where(resource => resource.Container?.DataPath is not null)
                .ToDictionary(resource => resource.Name, resource => resource.Container!.DataPath!, StringComparer.Ordinal)),
        };

    /// <summary>
    /// Publishes into <paramref name="directory"/>, the probe built for <paramref name="runtime"/> unless the build
    /// context there already holds this build of it. <paramref name="defaults"/> may give a .env value of its own (a
    /// generated password). Problems are returned, one sentence each; notes go to <paramref name="log"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> PublishAsync(string directory, string runtime, Func<string, string?>? defaults, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var problems = model.Validate().ToList();
        var (profiles, profileError) = ActiveProfiles();
        if (profileError is not null)
        {
            problems.Add(profileError);
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        Directory.CreateDirectory(directory);
        var context = Context(directory, profiles);
        var alertmanager = model.Resources.Single(resource => resource.Name == "alertmanager").Container!;
        var version = AlertmanagerVersion.Parse(alertmanager.Tag) ?? AlertmanagerTarget.Debian12;
        var rendering = await StackRendering.RenderAsync(model, context, alerting, new AlertmanagerTarget(version, context.Config("alertmanager"))).ConfigureAwait(false);
        if (rendering.Count > 0)
        {
            return rendering;
        }

        var secrets = Path.Combine(directory, "observability", "alertmanager", "secrets");
        var secretFiles = Directory.Exists(secrets)
            ? Directory.GetFiles(secrets).Select(file => "secrets/" + Path.GetFileName(file)).Order(StringComparer.Ordinal).ToList()
            : [];
        var services = ComposeManifest.Services(model, context, secretFiles);
        await File.WriteAllTextAsync(Path.Combine(directory, ComposeFile), ComposeManifest.Write(services), cancellationToken).ConfigureAwait(false);
        foreach (var note in EnvFile.Write(Path.Combine(directory, ".env"), EnvHeader(), Settings(profiles, defaults)))
        {
            await log.WriteLineAsync(note).ConfigureAwait(false);
        }

        var probe = model.Resources.Single(resource => resource.Container?.BuildContext is not null).Container!.BuildContext!;
        return await ProbeImage.WriteAsync(ProbeProject, Path.Combine(directory, probe), runtime, log, cancellationToken).ConfigureAwait(false) is { } problem ? [problem] : [];
    }

    private string EnvHeader()
    {
        var ports = string.Join(", ", model.Resources.Where(resource => resource.Container is not null)
            .SelectMany(resource => resource.Endpoints.Select(endpoint => $"{resource.Name}{(endpoint.Name == "http" ? string.Empty : " " + endpoint.Name)} {endpoint.Port}")));
        var receivers = new[] { ("email", alerting.Email.Enabled), ("slack", alerting.Slack.Enabled), ("telegram", alerting.Telegram.Enabled), ("ntfy", alerting.Ntfy.Enabled), ("webhook", alerting.Webhook.Enabled) }
            .Where(receiver => receiver.Item2).Select(receiver => receiver.Item1).ToList();
        return $"""
            # Internet Monitor's compose project: the settings `docker compose up -d` reads beside docker-compose.yaml.
            # Publishing again into this folder keeps every value set here, except COMPOSE_PROFILES.
            #
            # Set at publish, not here (publish again to change them):
            # - ports (--Stack:Ports:NAME=PORT): {ports}
            # - receivers (--Alerting:...; secrets from files or INTERNET_MONITOR_* variables), rendered into
            #   observability/alertmanager/alertmanager.yml: the probe's alert log{(receivers.Count > 0 ? ", " + string.Join(", ", receivers) : string.Empty)}
            # - the probe's settings (--Monitor:...), in docker-compose.yaml

            """;
    }

    private List<EnvSetting> Settings(IReadOnlySet<string> profiles, Func<string, string?>? defaults)
    {
        string Default(string name, string value) => defaults?.Invoke(name) ?? value;
        var ports = stack.Ports;
        var settings = new List<EnvSetting>
        {
            new("COMPOSE_PROJECT_NAME", ProjectName, "The compose project: its containers and volumes are named internet-monitor-*."),
            new("COMPOSE_PROFILES", string.Join(",", model.Resources.Select(resource => resource.Container?.Profile).OfType<string>().Where(profiles.Contains)),
                "The optional parts that run: grafana, loki, cadvisor, aspire-dashboard. Set by publish from Stack:Profiles\n"
                + "(--Stack:Profiles=grafana,loki): Prometheus scrapes exactly these, so change it there and publish again.", Owned: true),
            new("LISTEN_ADDRESS", stack.ListenAddress,
                "The address every part listens on, on this host's network: 127.0.0.1 keeps the stack to this host;\n"
                + "0.0.0.0 opens it to your network (then protect it: Grafana asks for its password, the others do not)."),
            new("GRAFANA_ADMIN_PASSWORD", Default("GRAFANA_ADMIN_PASSWORD", string.Empty),
                "Grafana's admin password. There is no default: the stack does not start until it is set. It is read when\n"
                + "Grafana first creates its admin user; later, change it in Grafana (or with grafana cli admin reset-admin-password)."),
            new("PROBE_USER", ProbeImage.User,
                "The probe's user in its container. It pings through unprivileged ICMP sockets, which this host allows when\n"
                + "net.ipv4.ping_group_range includes the user's group (systemd sets \"0 2147483647\"; see `sysctl net.ipv4.ping_group_range`).\n"
                + "Where it does not, set 0: root in the container, with NET_RAW as its only capability."),
            new("PROBE_BASE_IMAGE", ProbeImage.DefaultBase, "The image the probe's image is built on (probe/Dockerfile's BASE_IMAGE): no .NET is needed in it."),
        };
        foreach (var resource in model.Resources.Where(resource => resource.Container is not null))
        {
            var container = resource.Container!;
            var what = container.BuildContext is not null ? $"built from {container.BuildContext}/ on PROBE_BASE_IMAGE" : "the upstream image, pinned";
            settings.Add(new(container.ImageVariable, Default(container.ImageVariable, container.Reference), $"{resource.Name}: {what}."));
        }

        return settings;
    }
}
