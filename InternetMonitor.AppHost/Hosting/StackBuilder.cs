using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using InternetMonitor.AppHost.Alerting;
using InternetMonitor.AppHost.Model;
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

    /// <summary>The probe's build output, next to this AppHost's in the solution.</summary>
    public static string ProbeAssembly { get; } =
        typeof(StackBuilder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "ProbeAssembly").Value!;

    /// <summary>The builder, or the settings' problems (one sentence each) when they are wrong.</summary>
    public static (StackBuilder? Builder, IReadOnlyList<string> Errors) Create(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var errors = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            // --mode process (or --mode=process): the one mode this AppHost runs; every other argument is a setting.
            var mode = args[i] == "--mode" && i + 1 < args.Length ? args[++i] : args[i].StartsWith("--mode=", StringComparison.Ordinal) ? args[i]["--mode=".Length..] : null;
            if (mode is not null)
            {
                if (mode != "process")
                {
                    errors.Add($"--mode must be process, the mode this AppHost runs the stack in (got \"{mode}\")");
                }
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i].Contains('=', StringComparison.Ordinal))
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

        var others = new[] { stack.Ports.Probe, stack.Ports.Prometheus, stack.Ports.Alertmanager, stack.Ports.NodeExporter, stack.Ports.Grafana, stack.Ports.Loki, stack.Ports.Cadvisor };
        if (others.Contains(stack.Ports.Dashboard) || stack.Ports.Dashboard is < 1 or > 65535)
        {
            errors.Add($"Stack:Ports:Dashboard must be a free port between 1 and 65535, not one of the stack's (got {stack.Ports.Dashboard})");
        }

        if (string.IsNullOrWhiteSpace(stack.StateDirectory))
        {
            errors.Add("Stack:StateDirectory must name a folder");
        }

        return errors.Count > 0 ? (null, errors) : (new StackBuilder(configuration, stack, alerting), []);
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

    public StackApp Build() => new(new StackModel([.. _resources]), this);

    [GeneratedRegex(@"^[0-9]+(ms|s|m|h|d|w|y)$")]
    private static partial Regex Retention();
}
