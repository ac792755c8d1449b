using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Model;
using InternetMonitor.AppHost.Publishing;
using Microsoft.Extensions.Configuration;

namespace InternetMonitor.AppHost.Hosting;

/// <summary>
/// The AppHost's composition root in the shape of Aspire's <c>DistributedApplication.CreateBuilder</c>: settings from
/// appsettings.json, the environment and <c>--Section:Key=value</c> arguments, and the resources Program.cs declares.
/// </summary>
public sealed partial class StackBuilder
{
    private readonly List<Resource> _resources = [];

    private StackBuilder(IConfiguration configuration, StackOptions stack, AlertingOptions alerting)
    {
        Configuration = configuration;
        Stack = stack;
        Alerting = alerting;
    }

    public IConfiguration Configuration { get; }

    public StackOptions Stack { get; }

    public AlertingOptions Alerting { get; }

    /// <summary>How the stack runs (--mode); <see cref="StackMode.Auto"/> picks container mode when a Docker engine answers.</summary>
    public StackMode Mode { get; private init; }

    /// <summary>Set for <c>publish --output DIR [--runtime RID]</c>: write the compose project instead of running.</summary>
    public PublishRequest? Publish { get; private init; }

    /// <summary>The probe's build output, next to this AppHost's in the solution.</summary>
    public static string ProbeAssembly { get; } =
        typeof(StackBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "ProbeAssembly").Value!;

    /// <summary>The builder, or the settings' problems (one sentence each) when they are wrong.</summary>
    public static (StackBuilder? Builder, IReadOnlyList<string> Errors) Create(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        var settings = new List<string>();
        var mode = StackMode.Auto;
        PublishRequest? publish = args is ["publish", ..] ? new PublishRequest(string.Empty, ProbeImage.HostRuntime) : null;
        for (var i = publish is null ? 0 : 1; i < args.Length; i++)
        {
            // --name VALUE and --name=VALUE alike, for the AppHost's own options; every other --Section:Key=value is a setting.
            var (name, inline) = args[i].Split('=', 2) is [var head, var tail] && !head.Contains(':', StringComparison.Ordinal) ? (head, tail) : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : string.Empty);
            switch (name)
            {
                case "--mode" when publish is null:
                    var value = Value();
                    if (!Enum.TryParse(value, ignoreCase: true, out mode) || !Enum.IsDefined(mode) || value.Any(char.IsDigit))
                    {
                        errors.Add($"--mode must be process or container (got \"{value}\"); without it, container mode is used when a Docker engine answers");
                    }

                    break;
                case "--output" when publish is not null:
                    publish = publish with { Output = Value() };
                    break;
                case "--runtime" when publish is not null:
                    publish = publish with { Runtime = Value() };
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains('=', StringComparison.Ordinal) && args[i].Contains(':', StringComparison.Ordinal))
                    {
                        // A section nobody reads is a typo (--Monitr:...), not a setting silently ignored.
                        var section = args[i][2..].Split(':', '=')[0];
                        if (!KnownSections.Contains(section, StringComparer.OrdinalIgnoreCase))
                        {
                            errors.Add($"{args[i][2..].Split('=')[0]} is not a known setting: settings are under {string.Join(", ", KnownSections)}");
                        }

                        settings.Add(args[i]);
                    }
                    else
                    {
                        errors.Add($"unknown argument {args[i]}: settings are written --Section:Key=value");
                    }

                    break;
            }
        }

        if (publish is { Output.Length: 0 })
        {
            errors.Add("publish needs --output DIR, the folder the compose project is written to");
        }

        if (publish is not null && !RuntimePattern().IsMatch(publish.Runtime))
        {
            errors.Add($"--runtime must be a Linux runtime identifier such as linux-x64 or linux-arm64 (got \"{publish.Runtime}\")");
        }

        var configuration = AppHostSettings.Build(settings);
        var (stack, stackErrors) = AppHostSettings.Bind<StackOptions>(configuration, StackOptions.Section);
        var (alerting, alertingErrors) = AppHostSettings.Bind<AlertingOptions>(configuration, AlertingOptions.Section);
        errors.AddRange(stackErrors);
        errors.AddRange(alertingErrors);
        if (stack is null || alerting is null || errors.Count > 0)
        {
            return (null, errors);
        }

        foreach (var (key, value) in new[] { ("ListenAddress", stack.ListenAddress), ("DashboardAddress", stack.DashboardAddress) })
        {
            if (LocalAddress(value) is { } problem)
            {
                errors.Add($"Stack:{key} {problem}");
            }
        }

        if (!Retention().IsMatch(stack.PrometheusRetention))
        {
            errors.Add($"Stack:PrometheusRetention must be a duration such as 90d, 12w or 1y (got \"{stack.PrometheusRetention}\")");
        }

        var others = new[] { stack.Ports.Probe, stack.Ports.Prometheus, stack.Ports.Alertmanager, stack.Ports.NodeExporter, stack.Ports.Grafana, stack.Ports.Loki, stack.Ports.Cadvisor, stack.Ports.AspireDashboard, stack.Ports.AspireOtlpGrpc, stack.Ports.AspireOtlpHttp };
        if (others.Contains(stack.Ports.Dashboard) || stack.Ports.Dashboard is < 1 or > 65535)
        {
            errors.Add($"Stack:Ports:Dashboard must be a free port between 1 and 65535, not one of the stack's (got {stack.Ports.Dashboard})");
        }

        if (string.IsNullOrWhiteSpace(stack.StateDirectory))
        {
            errors.Add("Stack:StateDirectory must name a folder");
        }

        return errors.Count > 0 ? (null, errors) : (new StackBuilder(configuration, stack, alerting) { Mode = mode, Publish = publish }, []);
    }

    /// <summary>The sections the AppHost reads: its own, the receivers', and the probe's (passed on).</summary>
    public static IReadOnlyList<string> KnownSections { get; } = [StackOptions.Section, AlertingOptions.Section, "Monitor"];

    /// <summary>Why <paramref name="text"/> cannot be listened on here, or null when it can: an address of this host, or any.</summary>
    private static string? LocalAddress(string text)
    {
        if (!IPAddress.TryParse(text, out var address) || !(text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal)))
        {
            return $"must be an IP address such as 127.0.0.1 or 0.0.0.0 (got \"{text}\")";
        }

        try
        {
            using var socket = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            return null;
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            return $"must be an address of this host ({text}: {exception.Message})";
        }
    }

    /// <summary>A project of this solution, run from its build output with the .NET host (<see cref="DotnetHost"/>).</summary>
    public ResourceBuilder AddProject(string name, string assembly)
    {
        var resource = new Resource(name, ResourceKind.Project);
        resource.Programs.Add(assembly);
        resource.Arguments.Add(_ => [assembly]);
        _resources.Add(resource);
        return new ResourceBuilder(resource);
    }

    /// <summary>A program found on PATH under the first of <paramref name="programs"/> that exists.</summary>
    public ResourceBuilder AddExecutable(string name, params string[] programs)
    {
        var resource = new Resource(name, ResourceKind.Executable);
        resource.Programs.AddRange(programs);
        _resources.Add(resource);
        return new ResourceBuilder(resource);
    }

    /// <summary>An image with no program here: it runs only in container mode and in the published project.</summary>
    public ResourceBuilder AddContainer(string name, string image, string tag, string variable)
    {
        var resource = new Resource(name, ResourceKind.Container);
        _resources.Add(resource);
        return new ResourceBuilder(resource).WithImage(image, tag, variable);
    }

    public StackApp Build() => new(new StackModel([.. _resources]), this);

    [GeneratedRegex(@"^linux-(x64|arm64|arm)$")]
    private static partial Regex RuntimePattern();

    [GeneratedRegex(@"^[0-9]+(ms|s|m|h|d|w|y)$")]
    private static partial Regex Retention();
}

/// <summary>How the stack runs.</summary>
public enum StackMode
{
    /// <summary>Container mode when <c>docker info</c> answers, else process mode.</summary>
    Auto,

    /// <summary>The probe and the native programs on PATH, as children of the AppHost.</summary>
    Process,

    /// <summary>The compose project, rendered into the state folder and run by docker compose.</summary>
    Container,
}

/// <summary>Where <c>publish</c> writes the compose project, and the runtime the probe's image is built for.</summary>
public sealed record PublishRequest(string Output, string Runtime);
