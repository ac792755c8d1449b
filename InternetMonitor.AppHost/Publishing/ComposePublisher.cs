using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Parts;
using InternetMonitor.AppHost.Integrations.Probe;
using InternetMonitor.AppHost.Rendering;
using InternetMonitor.AppHost.Stack;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Publishing;

/// <summary>
/// Writes the application model as a compose project: docker-compose.yaml, .env, the rendered observability/ and the
/// probe's image build context, for an operator to copy to the machine that runs it.
/// </summary>
public sealed class ComposePublisher(StackContext stack, IConfiguration configuration, DistributedApplicationModel model, IResource prometheus)
{
    public const string ComposeFile = "docker-compose.yaml";
    public const string ProjectName = "internet-monitor";

    /// <summary>The central machine's project (<c>--role central</c>): apart from a site's, should one machine hold both.</summary>
    public const string CentralProjectName = "internet-monitor-central";

    /// <summary>The addresses a compose project may listen on: its health checks and Prometheus' targets use 127.0.0.1.</summary>
    public static readonly string[] ListenAddresses = ["127.0.0.1", "0.0.0.0"];

    /// <summary>The resources the compose project holds, in the order of the declaration: each with an image.</summary>
    public IReadOnlyList<IResource> Services { get; } = [.. model.Resources.Where(resource => resource.Annotations.OfType<ComposeServiceAnnotation>().Any())];

    /// <summary>
    /// Publishes into <paramref name="directory"/>, the probe built for <paramref name="runtime"/> unless the build context
    /// there already holds this build of it. Problems are returned, one sentence each; notes go to <paramref name="log"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> PublishAsync(string directory, string runtime, DistributedApplicationExecutionContext execution, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var problems = new List<string>();
        var known = Services.Select(resource => resource.Compose().Profile).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unknown = stack.Layout.Profiles.Except(known).ToList();
        var central = stack.Arguments.Role == StackRole.Central;
        if (unknown.Count > 0 && !central) // the central machine has Grafana alone of a site's optional parts
        {
            problems.Add($"Stack:Profiles names {string.Join(", ", unknown)}, which is not an optional part (they are {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        }

        var env = EnvFile.Merge(Path.Combine(directory, ".env"), EnvHeader(), Settings());
        var listen = env.Values["LISTEN_ADDRESS"];
        if (!ListenAddresses.Contains(listen))
        {
            problems.Add(listen == stack.Options.ListenAddress
                ? $"a compose project listens on 127.0.0.1 or 0.0.0.0 (its health checks and Prometheus' targets use 127.0.0.1); Stack:ListenAddress is {listen}"
                : $"LISTEN_ADDRESS in {Path.Combine(directory, ".env")} must be 127.0.0.1 or 0.0.0.0 (its health checks and Prometheus' targets use 127.0.0.1; got \"{listen}\")");
        }

        if (problems.Count == 0 && !central && await ProbeSettingsCheck.RunAsync(configuration, stack.Options, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            problems.Add(refusal);
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        Directory.CreateDirectory(directory);
        var layout = stack.Layout;
        layout.ObservabilityDirectory = Path.Combine(directory, "observability");
        var alertmanager = new AlertmanagerTarget(AlertmanagerImageVersion(env.Values), layout.Config("alertmanager"));
        var rendering = central
            ? StackRendering.RenderCentral(stack, alertmanager)
            : await StackRendering.RenderAsync(Services, stack, prometheus, alertmanager).ConfigureAwait(false);
        if (rendering.Count > 0)
        {
            return rendering;
        }

        var services = new List<(IResource Resource, ComposeService Service)>();
        foreach (var resource in Services)
        {
            services.Add((resource, await ComposeManifest.ServiceAsync(resource, layout, execution, cancellationToken).ConfigureAwait(false)));
        }

        // Owner-only: the probe's settings in it may hold a token (Monitor:AlertLog:Token, a speed-test server's).
        EnvFile.WriteOwnerOnly(Path.Combine(directory, ComposeFile), ComposeManifest.Write(services));
        EnvFile.Write(Path.Combine(directory, ".env"), env);
        foreach (var note in env.Notes)
        {
            await log.WriteLineAsync(note).ConfigureAwait(false);
        }

        if (Services.OfType<ProjectResource>().SingleOrDefault() is not { } probe)
        {
            return []; // the central machine runs no probe
        }

        var project = probe.GetProjectMetadata().ProjectPath;
        return await ProbeImage.WriteAsync(project, Path.Combine(directory, probe.Compose().BuildContext!), runtime, log, cancellationToken).ConfigureAwait(false) is { } problem ? [problem] : [];
    }

    /// <summary>
    /// The version of the Alertmanager image .env runs (what decides the receivers' fields), or the pin when its tag is
    /// not a version (a digest, latest, a local name).
    /// </summary>
    private Version AlertmanagerImageVersion(IReadOnlyDictionary<string, string> env)
    {
        var pinned = Services.Select(resource => resource.Compose()).First(compose => compose.Image == AlertmanagerImageTags.Image);
        var tag = ImageReference.Parse(env.GetValueOrDefault(pinned.ImageVariable, pinned.Reference)).Tag;
        return (tag is null ? null : AlertmanagerVersion.Parse(tag)) ?? AlertmanagerVersion.Parse(pinned.Tag)!;
    }

    private string EnvHeader()
    {
        var ports = string.Join(", ", Services.SelectMany(resource => resource.Annotations.OfType<EndpointAnnotation>()
            .Select(endpoint => $"{resource.Name}{(endpoint.Name == "http" ? string.Empty : " " + endpoint.Name)} {endpoint.Port}")));
        var alerting = stack.Alerting;
        var receivers = new[] { ("email", alerting.Email.Enabled), ("slack", alerting.Slack.Enabled), ("telegram", alerting.Telegram.Enabled), ("ntfy", alerting.Ntfy.Enabled), ("webhook", alerting.Webhook.Enabled) }
            .Where(receiver => receiver.Item2).Select(receiver => receiver.Item1).ToList();
        return $"""
            # Internet Monitor's compose project: the settings `docker compose up -d` reads beside docker-compose.yaml.
            # Publishing again into this folder keeps every value set here, and variables added by hand, except
            # COMPOSE_PROFILES and PROBE_IMAGE, which follow the publish.
            #
            # Set at publish, not here (publish again to change them):
            # - ports (--Stack:Ports:NAME=PORT): {ports}
            # - receivers (--Alerting:...; secrets from files or INTERNET_MONITOR_* variables), rendered into
            #   observability/alertmanager/alertmanager.yml: {Receivers(receivers)}
            # - {(stack.Arguments.Role == StackRole.Central
                ? "the store, the sites and their credentials (--Central:...), in docker-compose.yaml and observability/central-secrets/"
                : "the probe's settings (--Monitor:...), in docker-compose.yaml")}

            """;
    }

    private string Receivers(List<string> receivers)
    {
        var all = stack.Arguments.Role == StackRole.Central ? receivers : ["the probe's alert log", .. receivers];
        return all.Count > 0 ? string.Join(", ", all) : "none (alerts stay in Alertmanager and Grafana)";
    }

    private List<EnvSetting> Settings()
    {
        var profiles = Services.Select(resource => resource.Compose().Profile).OfType<string>().Where(stack.Layout.Profiles.Contains);
        var central = stack.Arguments.Role == StackRole.Central;
        var project = central ? CentralProjectName : ProjectName;
        var settings = new List<EnvSetting>
        {
            new("COMPOSE_PROJECT_NAME", project, $"The compose project: its containers and volumes are named {project}_*."),
            new("COMPOSE_PROFILES", string.Join(",", profiles),
                "The optional parts that run: grafana, loki, cadvisor, aspire-dashboard. Set by publish from Stack:Profiles\n"
                + "(--Stack:Profiles=grafana,loki): Prometheus scrapes exactly these, so change it there and publish again.", Owned: true),
            new("LISTEN_ADDRESS", stack.Options.ListenAddress,
                "The address every part listens on, on this host's network: 127.0.0.1 keeps the stack to this host; 0.0.0.0\n"
                + "opens it to your network (nothing else: health checks and Prometheus' targets use 127.0.0.1). Open, Grafana asks\n"
                + "for its password, but anyone on the network can read Prometheus and the probe's history, silence alerts in\n"
                + "Alertmanager and push logs to Loki: open it only behind a firewall you trust."),
            new("GRAFANA_ADMIN_PASSWORD", string.Empty,
                "Grafana's admin password. There is no default: the stack does not start until it is set (while Grafana's profile\n"
                + "is on). Grafana reads it when it first creates its admin user; later, change it in Grafana. Avoid $ in it\n"
                + "(compose reads $NAME as a variable), and know that `docker inspect` shows it to whoever may use Docker here.",
                Secret: true),
        };
        if (central)
        {
            settings.Add(new("GATE_ADDRESS", stack.Central.GateAddress,
                "The address the gate listens on, where every site's Prometheus writes (Central:GateAddress): 0.0.0.0 for sites\n"
                + "elsewhere. The gate lets in each site's remote write with its credential (Central:Sites), and nothing else."));
        }
        else
        {
            settings.Add(new("PROBE_BASE_IMAGE", ProbeImage.DefaultBase, "The image the probe's image is built on (probe/Dockerfile's BASE_IMAGE): no .NET is needed in it."));
        }

        foreach (var compose in Services.Select(resource => (resource.Name, Compose: resource.Compose())))
        {
            var build = compose.Compose.BuildContext is not null;
            var what = build
                ? $"built from {compose.Compose.BuildContext}/ on PROBE_BASE_IMAGE, tagged by publish with this version (it follows the publish)"
                : "the upstream image, pinned";
            settings.Add(new(compose.Compose.ImageVariable, compose.Compose.Reference, $"{compose.Name}: {what}.", Owned: build));
        }

        return settings;
    }
}
