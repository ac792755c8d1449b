using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Command;
using InternetMonitor.Probe.Probing.SpeedTest.Server;
using InternetMonitor.Probe.StatusPage;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Probe.Hosting;

/// <summary>Builds and runs the probe; turns a bad start into one clear message and an exit code.</summary>
public static class ProbeProgram
{
    public const int ConfigurationErrorExitCode = 2;
    public const int StartupErrorExitCode = 3;

    /// <summary>The command that validates the settings and exits (0 valid, 2 not).</summary>
    public const string CheckConfigCommand = "check-config";

    public const string Usage = """
        Usage: InternetMonitor.Probe [--urls=URL] [--Section:Key=value ...]   run the probe (metrics on http://127.0.0.1:8000/metrics unless --urls or ASPNETCORE_URLS say otherwise)
               InternetMonitor.Probe speedtest [options] [--json]   one speed test now (speedtest --help for its options)
               InternetMonitor.Probe check-config [--Section:Key=value ...]   validate the settings and exit (0 valid, 2 not)

        Settings come from appsettings.json, environment variables (Monitor__Icmp__Interval=00:00:02) and
        arguments (--Monitor:Icmp:Interval=00:00:02); the README lists every key. By default the probe pings
        public anchors and the gateway, and runs DNS, HTTP and speed-test checks against public servers.

        """;

    /// <summary>The probe's OpenTelemetry service.name unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "InternetMonitor.Probe";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == SpeedTestCommand.Name)
        {
            return await RunSpeedTestAsync(args[1..]).ConfigureAwait(false);
        }

        if (args is [CheckConfigCommand, ..])
        {
            return await CheckConfigAsync(args[1..]).ConfigureAwait(false);
        }

        // Asking for help must never start measuring (the defaults ping public addresses).
        if (Array.Exists(args, argument => argument is "--help" or "-h" or "-?") || args is ["help", ..])
        {
            await Console.Out.WriteAsync(Usage).ConfigureAwait(false);
            return 0;
        }

        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception exception) when (ConfigurationErrorMessage.From(exception) is { } message)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {message}").ConfigureAwait(false);
            return ConfigurationErrorExitCode;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception exception) when (ConfigurationErrorMessage.From(exception) is { } message)
            {
                await Console.Error.WriteLineAsync($"Invalid configuration: {message}").ConfigureAwait(false);
                return ConfigurationErrorExitCode;
            }
            catch (Exception exception) when (exception is ProbeStartupException
                || (exception is IOException && exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException))
            {
                await Console.Error.WriteLineAsync($"Cannot start: {exception.Message}").ConfigureAwait(false);
                return StartupErrorExitCode;
            }
        }
    }

    /// <summary>
    /// Validates the settings as a start would, without starting anything: how the AppHost checks the probe's settings
    /// before it brings the stack up, so that a bad value is one message instead of a probe restarted again and again.
    /// </summary>
    private static async Task<int> CheckConfigAsync(string[] args)
    {
        try
        {
            await using var app = Build(args);
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception exception) when (ConfigurationErrorMessage.From(exception) is { } message)
        {
            await Console.Error.WriteLineAsync($"Invalid configuration: {message}").ConfigureAwait(false);
            return ConfigurationErrorExitCode;
        }

        await Console.Out.WriteLineAsync("The configuration is valid").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RunSpeedTestAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await SpeedTestCommand.RunAsync(args, Console.Out, Console.Error, new(!Console.IsOutputRedirected, !Console.IsErrorRedirected), cancel.Token).ConfigureAwait(false);
    }

    /// <summary>The probe's web application, ready to run; tests build it with their own arguments.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // No HTTPS server, IIS or EventLog: the probe serves plain HTTP on one port. Its name is the default OTLP
        // service.name (Loki's service_name label) wherever it is hosted, a test runner included.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ApplicationName = ServiceName });
        var listen = ListenAddress.Apply(builder);
        builder.AddAllowedHostNames();
        builder.AddProbe();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.Lifetime.ApplicationStarted.Register(() => listen.Log(app));
        app.UseSecurityHeaders();
        app.UseErrorResponses();
        app.UseRateLimiter(); // the history's concurrent reads (History/HistoryReadLimit)
        app.MapDefaultEndpoints();
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>())
            .WithTags("operations")
            .WithSummary("Prometheus metrics (docs/metrics.md lists them)")
            .ProducesText(StatusCodes.Status200OK, "The text exposition format.");
        app.MapSpeedTestServer();
        app.MapAlertLog();
        app.MapHistory();
        app.MapSpeedTestRun();
        app.MapApiDocument();
        app.MapStatusPage();
        return app;
    }
}
