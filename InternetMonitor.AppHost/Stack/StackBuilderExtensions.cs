using System.Net;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using InternetMonitor.AppHost.Integrations.Alertmanager;
using InternetMonitor.AppHost.Integrations.Central;

namespace InternetMonitor.AppHost.Stack;

/// <summary>The stack's settings on Aspire's builder: bound strictly, checked before anything is declared.</summary>
public static partial class StackBuilderExtensions
{
    /// <summary>Bad arguments or settings.</summary>
    public const int ErrorExitCode = 2;

    /// <summary>Aspire's switch for its tunnel from containers to host processes (on by default in 13.6).</summary>
    public const string ContainerTunnelSetting = "ASPIRE_ENABLE_CONTAINER_TUNNEL";

    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, StackContext> Stacks = new();

    /// <summary>
    /// Binds <c>Stack</c> and <c>Alerting</c> from the builder's configuration (appsettings.json, the environment, the
    /// arguments), checks them and picks the layout; null, with one line per problem on <paramref name="error"/>, when
    /// they are wrong. The parts' <c>Add...</c> methods read the result through <see cref="GetStack"/>.
    /// </summary>
    public static StackContext? AddStack(this IDistributedApplicationBuilder builder, StackArguments arguments, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(error);
        var (stack, stackErrors) = StackSettings.Bind<StackOptions>(builder.Configuration, StackOptions.Section);
        var (alerting, alertingErrors) = StackSettings.Bind<AlertingOptions>(builder.Configuration, AlertingOptions.Section);
        var (central, centralErrors) = StackSettings.Bind<CentralOptions>(builder.Configuration, CentralOptions.Section);
        var errors = stackErrors.Concat(alertingErrors).Concat(centralErrors).ToList();
        if (stack is not null)
        {
            errors.AddRange(Check(stack));
            if (central is not null && arguments.Role == StackRole.Central)
            {
                errors.AddRange(CentralConfigRenderer.Problems(central, stack.Ports));
            }
        }

        if (stack is null || alerting is null || central is null || errors.Count > 0)
        {
            errors.ForEach(problem => error.WriteLine($"Invalid configuration: {problem}"));
            return null;
        }

        if (!arguments.Publish)
        {
            try
            {
                Directory.CreateDirectory(Path.Combine(stack.StateDirectory, "data"));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"Cannot write the state folder {stack.StateDirectory}: {exception.Message}");
                return null;
            }
        }

        var run = arguments.Publish ? StackRun.Compose
            : StackModes.Resolve(arguments.Mode) == StackMode.Container ? StackRun.Containers
            : StackRun.Processes;
        string? gateway = null;
        if (run == StackRun.Containers)
        {
            string? problem;
            // Auto mode chose containers only with a client DCP takes; --mode container is checked here.
            (gateway, problem) = arguments.Mode == StackMode.Container && DockerCli.ClientProblem() is { } client ? (null, client) : EngineGateway.Find();
            if (problem is not null)
            {
                error.WriteLine(problem);
                return null;
            }

            // The parts reach the probe through the engine's host gateway; Aspire's own tunnel to host processes would
            // first build an image from one it pulls (mcr.microsoft.com/azurelinux/base/core), and wait for it meanwhile.
            builder.Configuration[ContainerTunnelSetting] ??= "false";
        }

        var context = new StackContext(stack, alerting, new StackLayout(run, stack) { HostGateway = gateway }, arguments)
        {
            Central = central,
            AlertLogToken = AlertLogToken.ForRun(run, builder.Configuration, alerting, Environment.GetEnvironmentVariable),
        };
        Stacks.AddOrUpdate(builder, context);
        return context;
    }

    /// <summary>The stack's settings, as <see cref="AddStack"/> made them.</summary>
    public static StackContext GetStack(this IDistributedApplicationBuilder builder) =>
        Stacks.TryGetValue(builder, out var stack) ? stack : throw new InvalidOperationException("call AddStack before declaring the stack's parts");

    private static IEnumerable<string> Check(StackOptions stack)
    {
        if (SiteName.Problem(stack.Site) is { } site)
        {
            yield return $"Stack:Site {site}";
        }

        if (LocalAddress(stack.ListenAddress) is { } problem)
        {
            yield return $"Stack:ListenAddress {problem}";
        }

        if (!Retention().IsMatch(stack.PrometheusRetention))
        {
            yield return $"Stack:PrometheusRetention must be a duration such as 90d, 12w or 1y (got \"{stack.PrometheusRetention}\")";
        }

        if (string.IsNullOrWhiteSpace(stack.StateDirectory))
        {
            yield return "Stack:StateDirectory must name a folder";
        }

        var ports = new (string Name, int Port)[]
        {
            ("Probe", stack.Ports.Probe), ("Prometheus", stack.Ports.Prometheus), ("Alertmanager", stack.Ports.Alertmanager),
            ("NodeExporter", stack.Ports.NodeExporter), ("Grafana", stack.Ports.Grafana), ("Loki", stack.Ports.Loki), ("Cadvisor", stack.Ports.Cadvisor),
            ("AspireDashboard", stack.Ports.AspireDashboard), ("AspireOtlpGrpc", stack.Ports.AspireOtlpGrpc), ("AspireOtlpHttp", stack.Ports.AspireOtlpHttp),
        };
        foreach (var (name, port) in ports.Where(entry => entry.Port is < 1 or > 65535))
        {
            yield return $"Stack:Ports:{name} must be between 1 and 65535 (got {port})";
        }

        foreach (var group in ports.GroupBy(entry => entry.Port).Where(group => group.Count() > 1))
        {
            yield return $"Stack:Ports: port {group.Key} is claimed by {string.Join(" and ", group.Select(entry => entry.Name))}";
        }
    }

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

    [GeneratedRegex(@"^[0-9]+(ms|s|m|h|d|w|y)$")]
    private static partial Regex Retention();
}
