using InternetMonitor.Probe.Alerting;
using InternetMonitor.Probe.Campaigns;
using InternetMonitor.Probe.Configuration;
using InternetMonitor.Probe.History;
using InternetMonitor.Probe.Probing.SpeedTest;
using InternetMonitor.Probe.Probing.SpeedTest.Server;
using InternetMonitor.Probe.Report;
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

    /// <summary>The probe's OpenTelemetry service.name unless OTEL_SERVICE_NAME says otherwise.</summary>
    public const string ServiceName = "InternetMonitor.Probe";

    /// <summary>The probe's command line (<see cref="ProbeCommandLine"/>) run: the service, <c>speedtest</c> or <c>check-config</c>.</summary>
    public static Task<int> RunAsync(string[] args) => ProbeCommandLine.RunAsync(args, Console.Out, Console.Error);

    /// <summary>Runs the service until it is stopped, with <paramref name="args"/> as command-line configuration.</summary>
    internal static async Task<int> RunProbeAsync(string[] args, TextWriter error)
    {
        WebApplication app;
        try
        {
            app = Build(args);
        }
        catch (Exception exception) when (ConfigurationErrorMessage.From(exception) is { } message)
        {
            await error.WriteLineAsync($"Invalid configuration: {message}").ConfigureAwait(false);
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
                await error.WriteLineAsync($"Invalid configuration: {message}").ConfigureAwait(false);
                return ConfigurationErrorExitCode;
            }
            catch (Exception exception) when (exception is ProbeStartupException
                || (exception is IOException && exception.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException))
            {
                await error.WriteLineAsync($"Cannot start: {exception.Message}").ConfigureAwait(false);
                return StartupErrorExitCode;
            }
        }
    }

    /// <summary>
    /// Validates the settings as a start would, without starting anything: how the AppHost checks the probe's settings
    /// before it brings the stack up, so that a bad value is one message instead of a probe restarted again and again.
    /// </summary>
    internal static async Task<int> CheckConfigAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            await using var app = Build(args);
            app.Services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception exception) when (ConfigurationErrorMessage.From(exception) is { } message)
        {
            await error.WriteLineAsync($"Invalid configuration: {message}").ConfigureAwait(false);
            return ConfigurationErrorExitCode;
        }

        await output.WriteLineAsync("The configuration is valid").ConfigureAwait(false);
        return 0;
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
        app.MapProbeMetrics("/metrics")
            .WithTags("operations")
            .WithSummary("Prometheus metrics (docs/metrics.md lists them)")
            .ProducesText(StatusCodes.Status200OK, "The text exposition format.");
        app.MapSpeedTestServer();
        app.MapAlertLog();
        app.MapHistory();
        app.MapSpeedTestRun();
        app.MapCampaigns();
        app.MapApiDocument();
        app.MapStatusPage();
        app.MapReport();
        return app;
    }
}
