using System.Reflection;
using System.Security.Cryptography;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Hosting;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Rendering;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// Writes the stack as a compose project, the deployment Aspire's publish would generate: docker-compose.yaml, .env,
/// the rendered observability/ and the probe's image build context. <c>publish --output DIR</c> writes it for an
/// operator to copy and run; container mode (<paramref name="forAppHost"/>) publishes into its state folder as a
/// project of its own (its own name, volumes and probe tag, every .env value but the generated password its own), so
/// that it never touches a deployment on the same engine.
/// </summary>
public sealed class StackPublisher(StackModel model, StackOptions stack, AlertingOptions alerting, bool forAppHost = false)
{
    public const string ComposeFile = "docker-compose.yaml";
    public const string ProjectName = "internet-monitor";
    public const string AppHostProjectName = "internet-monitor-apphost";

    /// <summary>The addresses a compose project may listen on: its health checks and Prometheus' targets use 127.0.0.1.</summary>
    public static readonly string[] ListenAddresses = ["127.0.0.1", "0.0.0.0"];

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
    /// context there already holds this build of it. Problems are returned, one sentence each; notes go to
    /// <paramref name="log"/>. <see cref="Generated"/> then names the .env values made by this publish.
    /// </summary>
    public async Task<IReadOnlyList<string>> PublishAsync(string directory, string runtime, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var problems = model.Validate().ToList();
        var (profiles, profileError) = ActiveProfiles();
        if (profileError is not null)
        {
            problems.Add(profileError);
        }

        var env = EnvFile.Merge(Path.Combine(directory, ".env"), EnvHeader(), Settings(profiles));
        var listen = env.Values["LISTEN_ADDRESS"];
        if (!ListenAddresses.Contains(listen))
        {
            problems.Add(forAppHost || listen == stack.ListenAddress
                ? $"a compose project listens on 127.0.0.1 or 0.0.0.0 (its health checks and Prometheus' targets use 127.0.0.1); Stack:ListenAddress is {listen}"
                : $"LISTEN_ADDRESS in {Path.Combine(directory, ".env")} must be 127.0.0.1 or 0.0.0.0 (its health checks and Prometheus' targets use 127.0.0.1; got \"{listen}\")");
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        Directory.CreateDirectory(directory);
        var context = Context(directory, profiles);
        var alertmanager = new AlertmanagerTarget(AlertmanagerImageVersion(env.Values), context.Config("alertmanager"));
        var rendering = await StackRendering.RenderAsync(model, context, alerting, alertmanager).ConfigureAwait(false);
        if (rendering.Count > 0)
        {
            return rendering;
        }

        var secrets = Path.Combine(directory, "observability", "alertmanager", "secrets");
        var secretFiles = Directory.Exists(secrets)
            ? Directory.GetFiles(secrets).Select(file => "secrets/" + Path.GetFileName(file)).Order(StringComparer.Ordinal).ToList()
            : [];
        var services = ComposeManifest.Services(model, context, secretFiles);

        // Owner-only: the probe's settings in it may hold a token (Monitor:AlertLog:Token, a speed-test server's).
        EnvFile.WriteOwnerOnly(Path.Combine(directory, ComposeFile), ComposeManifest.Write(services));
        EnvFile.Write(Path.Combine(directory, ".env"), env);
        Generated = env.Generated;
        foreach (var note in env.Notes)
        {
            await log.WriteLineAsync(note).ConfigureAwait(false);
        }

        var probe = model.Resources.Single(resource => resource.Container?.BuildContext is not null).Container!.BuildContext!;
        return await ProbeImage.WriteAsync(ProbeProject, Path.Combine(directory, probe), runtime, log, cancellationToken).ConfigureAwait(false) is { } problem ? [problem] : [];
    }

    /// <summary>The .env values the last publish generated (a password on container mode's first run).</summary>
    public IReadOnlyList<string> Generated { get; private set; } = [];

    /// <summary>
    /// The version of the Alertmanager image .env runs (what decides the receivers' fields), or the model's pin when
    /// its tag is not a version (a digest, latest, a local name).
    /// </summary>
    private Version AlertmanagerImageVersion(IReadOnlyDictionary<string, string> env)
    {
        var pinned = model.Resources.Single(resource => resource.Name == "alertmanager").Container!;
        var image = env.GetValueOrDefault(pinned.ImageVariable, pinned.Reference);
        var name = image[(image.LastIndexOf('/') + 1)..];
        var tag = name.Contains('@', StringComparison.Ordinal) || !name.Contains(':', StringComparison.Ordinal) ? null : name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
        return (tag is null ? null : AlertmanagerVersion.Parse(tag)) ?? AlertmanagerVersion.Parse(pinned.Tag)!;
    }

    private string EnvHeader()
    {
        var ports = string.Join(", ", model.Resources.Where(resource => resource.Container is not null)
            .SelectMany(resource => resource.Endpoints.Select(endpoint => $"{resource.Name}{(endpoint.Name == "http" ? string.Empty : " " + endpoint.Name)} {endpoint.Port}")));
        var receivers = new[] { ("email", alerting.Email.Enabled), ("slack", alerting.Slack.Enabled), ("telegram", alerting.Telegram.Enabled), ("ntfy", alerting.Ntfy.Enabled), ("webhook", alerting.Webhook.Enabled) }
            .Where(receiver => receiver.Item2).Select(receiver => receiver.Item1).ToList();
        var keeps = forAppHost
            ? "# Container mode's own project: the AppHost writes it on every run from its settings (--Stack:..., --Monitor:...,\n# --Alerting:...); only GRAFANA_ADMIN_PASSWORD, generated on the first run, and variables added by hand are kept."
            : "# Publishing again into this folder keeps every value set here, and variables added by hand, except\n# COMPOSE_PROFILES and PROBE_IMAGE, which follow the publish.";
        return $"""
            # Internet Monitor's compose project: the settings `docker compose up -d` reads beside docker-compose.yaml.
            {keeps}
            #
            # Set at publish, not here (publish again to change them):
            # - ports (--Stack:Ports:NAME=PORT): {ports}
            # - receivers (--Alerting:...; secrets from files or INTERNET_MONITOR_* variables), rendered into
            #   observability/alertmanager/alertmanager.yml: the probe's alert log{(receivers.Count > 0 ? ", " + string.Join(", ", receivers) : string.Empty)}
            # - the probe's settings (--Monitor:...), in docker-compose.yaml

            """;
    }

    private List<EnvSetting> Settings(IReadOnlySet<string> profiles)
    {
        var owned = forAppHost;
        var settings = new List<EnvSetting>
        {
            new("COMPOSE_PROJECT_NAME", forAppHost ? AppHostProjectName : ProjectName, $"The compose project: its containers and volumes are named {(forAppHost ? AppHostProjectName : ProjectName)}_*.", owned),
            new("COMPOSE_PROFILES", string.Join(",", model.Resources.Select(resource => resource.Container?.Profile).OfType<string>().Where(profiles.Contains)),
                "The optional parts that run: grafana, loki, cadvisor, aspire-dashboard. Set by publish from Stack:Profiles\n"
                + "(--Stack:Profiles=grafana,loki): Prometheus scrapes exactly these, so change it there and publish again.", Owned: true),
            new("LISTEN_ADDRESS", stack.ListenAddress,
                "The address every part listens on, on this host's network: 127.0.0.1 keeps the stack to this host; 0.0.0.0\n"
                + "opens it to your network (nothing else: health checks and Prometheus' targets use 127.0.0.1). Open, Grafana asks\n"
                + "for its password, but anyone on the network can read Prometheus and the probe's history, silence alerts in\n"
                + "Alertmanager and push logs to Loki: open it only behind a firewall you trust.", owned),
            new("GRAFANA_ADMIN_PASSWORD", string.Empty,
                "Grafana's admin password. There is no default: the stack does not start until it is set (while Grafana's profile\n"
                + "is on). Grafana reads it when it first creates its admin user; later, change it in Grafana. Avoid $ in it\n"
                + "(compose reads $NAME as a variable), and know that `docker inspect` shows it to whoever may use Docker here.",
                Secret: true, Generate: forAppHost ? () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-') : null),
            new("PROBE_BASE_IMAGE", ProbeImage.DefaultBase, "The image the probe's image is built on (probe/Dockerfile's BASE_IMAGE): no .NET is needed in it.", owned),
        };
        foreach (var resource in model.Resources.Where(resource => resource.Container is not null))
        {
            var container = resource.Container!;
            var build = container.BuildContext is not null;
            var image = build ? $"{container.Image}:{(forAppHost ? "apphost" : container.Tag)}" : container.Reference;
            var what = build
                ? $"built from {container.BuildContext}/ on PROBE_BASE_IMAGE, tagged by publish with this version (it follows the publish)"
                : "the upstream image, pinned";
            settings.Add(new(container.ImageVariable, image, $"{resource.Name}: {what}.", owned || build));
        }

        return settings;
    }
}
